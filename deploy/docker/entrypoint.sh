#!/bin/sh
# Container entry point: the first argument names what this container runs. These are the same
# files the npm scripts run (`npm start`, `npm run worker`, `npm run migrate`, `npm run keys`) and the
# same commands as the `sps` CLI (`sps serve`, `sps worker`, `sps migrate up`). `exec` makes Node
# PID 1, so SIGTERM from the runtime reaches the graceful shutdown directly.
set -eu
server="${SPS_HOME:-/app}/packages/server/src"
command="${1:-serve}"
[ "$#" -gt 0 ] && shift
case "$command" in
  serve | start) exec node "$server/main.ts" "$@" ;;
  worker) exec node "$server/features/jobs/worker-main.ts" "$@" ;;
  migrate)
    [ "$#" -eq 0 ] && set -- up
    exec node "$server/platform/storage/migrate-cli.ts" "$@"
    ;;
  keys) exec node "$server/features/api-keys/keys-cli.ts" "$@" ;;
  *) exec "$command" "$@" ;;
esac
