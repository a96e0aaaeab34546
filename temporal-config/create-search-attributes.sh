#!/bin/sh
# Register the search attributes every ETL run sets (EtlSource, EtlMember, ...) on the
# workers' namespace. Run by the one-shot `temporal-search-attributes` service (image
# temporalio/admin-tools) after the namespace exists; the workers start only after it
# exits 0: a run that upserts an attribute the server does not know cannot progress.
# The list is models/etl/search_attributes.py's (tests/deploy checks they agree).
#
# Environment: TEMPORAL_ADDRESS (host:port of the frontend), TEMPORAL_NAMESPACE.
set -eu

ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}

ATTRIBUTES="
EtlSource=Keyword
EtlFlow=Keyword
EtlMember=Keyword
EtlEmployee=KeywordList
EtlWindowStart=Datetime
EtlWindowEnd=Datetime
EtlEvents=Int
"

known=$(temporal operator search-attribute list --namespace "$NAMESPACE" --address "$ADDRESS")
for pair in $ATTRIBUTES; do
    name=${pair%%=*}
    type=${pair#*=}
    if printf '%s\n' "$known" | grep -qw "$name"; then
        echo "search attribute $name exists"
    else
        echo "creating search attribute $name ($type)"
        temporal operator search-attribute create --namespace "$NAMESPACE" \
            --address "$ADDRESS" --name "$name" --type "$type"
    fi
done
echo "search attributes of namespace '$NAMESPACE' are registered"
