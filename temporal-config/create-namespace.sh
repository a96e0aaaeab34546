#!/bin/sh
# Wait until the Temporal cluster serves requests, then make sure the namespace the
# workers use exists. Run by the one-shot `temporal-namespace` service (image
# temporalio/admin-tools); the workers start only after it exits 0.
#
# Environment: TEMPORAL_ADDRESS (host:port of the frontend), TEMPORAL_NAMESPACE,
# TEMPORAL_NAMESPACE_RETENTION (how long closed workflows are kept, e.g. 720h).
set -eu

ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
RETENTION=${TEMPORAL_NAMESPACE_RETENTION:-720h}
ATTEMPTS=${READY_ATTEMPTS:-60}
DELAY=${READY_DELAY_SECONDS:-2}

# Retry "$@" until it succeeds or ATTEMPTS run out.
retry() {
    what=$1
    shift
    n=1
    until "$@" >/dev/null 2>&1; do
        if [ "$n" -ge "$ATTEMPTS" ]; then
            echo "gave up waiting for $what after $ATTEMPTS attempts" >&2
            "$@" || true # show the last error
            return 1
        fi
        n=$((n + 1))
        sleep "$DELAY"
    done
}

echo "waiting for the Temporal cluster at $ADDRESS"
retry "cluster health" temporal operator cluster health --address "$ADDRESS"

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
    echo "namespace '$NAMESPACE' exists"
else
    echo "creating namespace '$NAMESPACE' (retention $RETENTION)"
    if ! temporal operator namespace create --namespace "$NAMESPACE" \
        --retention "$RETENTION" --address "$ADDRESS"; then
        # Lost a race with another creator, or a transient error: fine if it exists now.
        temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null
    fi
fi

# A new namespace reaches the frontend's namespace cache a few seconds after creation;
# wait for it so that the first worker poll does not fail with "namespace not found".
echo "waiting for namespace '$NAMESPACE' to be served"
retry "namespace $NAMESPACE" temporal workflow list --namespace "$NAMESPACE" --limit 1 --address "$ADDRESS"

echo "namespace '$NAMESPACE' is ready"
