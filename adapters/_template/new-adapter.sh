#!/usr/bin/env bash
# Creates adapters/<id>/ (with its test/ folder) and test-data/<id>/example/ from this template.
# Usage: adapters/_template/new-adapter.sh <adapter-id> <ClassPrefix>    e.g.  penalties Penalties
set -euo pipefail
id=${1:?adapter id, e.g. penalties}; name=${2:?class prefix, e.g. Penalties}
pkg=$(printf '%s' "$id" | tr -d -- '-_' | tr '[:upper:]' '[:lower:]')
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/adapters/$id"
[ -e "$dir" ] && { echo "adapters/$id exists already" >&2; exit 1; }
mkdir -p "$dir/test" "$root/test-data/$id/example"
for part in Properties Mapper Source Route; do
  sed -e "s/__id__/$id/g" -e "s/__Name__/$name/g" -e "s/__pkg__/$pkg/g" \
    "$root/adapters/_template/$part.java.tmpl" > "$dir/$name$part.java"
done
sed -e "s/__id__/$id/g" -e "s/__Name__/$name/g" "$root/adapters/_template/README.md.tmpl" > "$dir/README.md"
sed -e "s/__id__/$id/g" -e "s/__Name__/$name/g" "$root/adapters/_template/golden.properties.tmpl" \
  > "$dir/test/golden.properties"
cp "$root/adapters/_template/example-input.json" "$root/test-data/$id/example/input.json"
sed -e "s/__id__/$id/g" "$root/adapters/_template/example-expected.json" > "$root/test-data/$id/example/expected.json"
cat <<MSG
Created adapters/$id/ (tests go in adapters/$id/test/) and test-data/$id/example/.
Now add to conf/application.yaml under hub.adapters:

    $id:
      enabled: true
      poll-interval: 60s
      overlap: 90s

and follow README.md "Add a department" from step 3.
MSG
