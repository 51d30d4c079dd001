# Shared by validation/openstack/up and down: names, addresses and helpers of the real OpenStack Zed
# control plane that tbsim's control-traffic model is checked against. Sourced, not run.
#
# Layout: a bridge joins one controller namespace (MariaDB, RabbitMQ, keystone, placement, glance,
# neutron-server, nova-api, conductor, scheduler) and K compute namespaces (nova-compute on the fake
# driver). The host has no address on the bridge, so no control traffic leaves the namespaces.
# Everything the control plane writes lives under $STATE; /etc is only read (the packages' paste
# and policy files); nothing outside STATE, the namespaces and the bridge is changed.

PREFIX=tbos
BRIDGE=${PREFIX}-br
CONTROLLER_NS=${PREFIX}-ctl
CONTROLLER_IP=10.201.0.1
STATE=/var/lib/tbsim-openstack
PASSWORD=tbsim  # every service account; the plane is reachable only inside its namespaces
# (neutron-plugin-ml2 is a virtual package: neutron-common provides ML2.)
ZED_PACKAGES=(
  mariadb-server rabbitmq-server keystone placement-api nova-api nova-conductor nova-scheduler nova-compute
  python3-openstackclient glance-api python3-glanceclient python3-novaclient neutron-server
  python3-neutronclient uwsgi-core uwsgi-plugin-python3 iproute2 tshark curl
)

compute_ns() { echo "${PREFIX}-c$1"; }
compute_ip() { echo "10.201.0.$((10 + $1))"; }
compute_veth() { echo "${PREFIX}-v$1"; }

say() { echo "openstack: $*" >&2; }
die() { echo "openstack: $*" >&2; exit 1; }

# Runs a command inside the controller's namespace.
in_controller() { ip netns exec "$CONTROLLER_NS" "$@"; }

# The admin's credentials for the openstack client, inside the controller's namespace.
openstack_admin() {
  in_controller env OS_AUTH_URL="http://$CONTROLLER_IP:5000/v3" OS_USERNAME=admin OS_PASSWORD="$PASSWORD" \
    OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_IDENTITY_API_VERSION=3 \
    OS_COMPUTE_API_VERSION=2.37 openstack "$@"
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every second until it succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local t
  for ((t = 0; t < seconds; t++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "$what: not ready after $seconds s (logs: $STATE/log/)"
}

# start_daemon NAME NAMESPACE COMMAND...: starts a service in the background inside a namespace,
# its output in $STATE/log/NAME.log, its PID in $STATE/pids/NAME.
start_daemon() {
  local name=$1 ns=$2
  shift 2
  mkdir -p "$STATE/log" "$STATE/pids"
  setsid ip netns exec "$ns" "$@" >>"$STATE/log/$name.log" 2>&1 < /dev/null &
  echo $! >"$STATE/pids/$name"
}

# Installs the Zed packages that are missing (about 3 minutes on a fresh machine, some 340 packages
# with their dependencies); fails if apt does.
install_zed_packages() {
  "$(dirname "${BASH_SOURCE[0]}")/../../scripts/apt-install-missing" "${ZED_PACKAGES[@]}"
}
