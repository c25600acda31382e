#!/usr/bin/env bash
# Makes sure the services the integration tier talks to are up: MariaDB on 127.0.0.1:3306 (root,
# empty password, database `test`) and Redis on 127.0.0.1:6379. Starts a stopped one; never
# reconfigures a running one.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 3306; then
  echo "MariaDB not answering on 3306: starting it"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 1 100); do port_open 3306 && break; sleep 0.2; done
  port_open 3306 || { echo "MariaDB did not start" >&2; exit 1; }
fi
if ! port_open 6379; then
  echo "Redis not answering on 6379: starting it"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 50); do port_open 6379 && break; sleep 0.2; done
  port_open 6379 || { echo "Redis did not start" >&2; exit 1; }
fi
echo "MariaDB and Redis are up"
