#!/usr/bin/env python3
"""Reduces Discord's published OpenAPI description to what the sandbox serves.

Usage (from the workspace root, with a checkout of github.com/discord/discord-api-spec):
    git --git-dir=SPEC/.git show COMMIT:specs/openapi.json > /tmp/openapi.json
    python3 xtask/scripts/reduce-discord-openapi.py /tmp/openapi.json COMMIT \
        > fixtures/discord/openapi.json

Keeps only the paths and methods in SERVED (the routes of crates/sandbox/src/discord/rest/),
then every component their `$ref`s reach, transitively. Nothing else is changed; the source
repository, path and commit are recorded under `info.x-switchboard-source`. Running the
script on its own output gives the same bytes (the check `cargo xtask fixtures --check`
relies on: the copy holds nothing outside SERVED's closure).
"""
import json
import sys

SERVED = {
    "/gateway": ["get"],
    "/gateway/bot": ["get"],
    "/users/@me": ["get"],
    "/users/{user_id}": ["get"],
    "/users/@me/channels": ["post"],
    "/oauth2/applications/@me": ["get"],
    "/applications/@me": ["get"],
    "/channels/{channel_id}": ["get", "patch", "delete"],
    "/channels/{channel_id}/typing": ["post"],
    "/channels/{channel_id}/messages": ["get", "post"],
    "/channels/{channel_id}/messages/bulk-delete": ["post"],
    "/channels/{channel_id}/messages/{message_id}": ["get", "patch", "delete"],
    "/channels/{channel_id}/messages/{message_id}/reactions": ["delete"],
    "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}": ["get", "delete"],
    "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me": ["put", "delete"],
    "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/{user_id}": ["delete"],
    "/guilds/{guild_id}": ["get"],
    "/guilds/{guild_id}/channels": ["get"],
    "/guilds/{guild_id}/members": ["get"],
    "/guilds/{guild_id}/members/{user_id}": ["get", "delete"],
    "/guilds/{guild_id}/roles": ["get", "post"],
    "/guilds/{guild_id}/roles/{role_id}": ["get", "patch", "delete"],
    "/guilds/{guild_id}/bans": ["get"],
    "/guilds/{guild_id}/bans/{user_id}": ["put", "delete"],
    "/interactions/{interaction_id}/{interaction_token}/callback": ["post"],
    "/webhooks/{webhook_id}/{webhook_token}": ["post"],
    "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}": ["get", "patch", "delete"],
    "/applications/{application_id}/commands": ["get", "post", "put"],
    "/applications/{application_id}/commands/{command_id}": ["get", "patch", "delete"],
    "/applications/{application_id}/guilds/{guild_id}/commands": ["get", "post", "put"],
    "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}": ["get", "patch", "delete"],
    "/stage-instances": ["post"],
    "/stage-instances/{channel_id}": ["get", "patch", "delete"],
}
KEEP_IN_PATH = {"parameters", "summary", "description", "servers"}


def refs(node, out):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            out.add(ref)
        for value in node.values():
            refs(value, out)
    elif isinstance(node, list):
        for value in node:
            refs(value, out)


def main():
    spec_path, commit = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    paths = {}
    for path, methods in SERVED.items():
        item = spec["paths"].get(path)
        if item is None:
            sys.exit(f"{path} is not in the spec")
        kept = {k: v for k, v in item.items() if k in KEEP_IN_PATH or k in methods}
        missing = [m for m in methods if m not in kept]
        if missing:
            sys.exit(f"{path}: {missing} not in the spec")
        paths[path] = kept
    reached, todo = set(), set()
    refs(paths, todo)
    while todo:
        ref = todo.pop()
        if ref in reached:
            continue
        reached.add(ref)
        _, _, kind, name = ref.split("/", 3)
        refs(spec["components"][kind][name], todo)
    components = {}
    for kind, items in spec.get("components", {}).items():
        kept = {n: v for n, v in items.items() if f"#/components/{kind}/{n}" in reached}
        if kind == "securitySchemes":
            kept = items
        if kept:
            components[kind] = kept
    out = {k: v for k, v in spec.items() if k not in ("paths", "components")}
    info = dict(out.get("info", {}))
    info["x-switchboard-source"] = {
        "repository": "https://github.com/discord/discord-api-spec",
        "path": "specs/openapi.json",
        "commit": commit,
        "reduced-by": "xtask/scripts/reduce-discord-openapi.py",
    }
    out["info"] = info
    out["paths"] = paths
    out["components"] = components
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")


main()
