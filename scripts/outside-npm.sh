# Sourced by scripts that install with npm from inside `npm start` or `npm test`.
# `npm run` exports its own settings to the scripts it runs: npm_config_user_agent names the outer
# Node (code-server's postinstall reads its Node version from it and refuses to build),
# npm_config_local_prefix points at Berth's folder, and PATH gains Berth's node_modules/.bin and a
# node-gyp shim that reads npm_config_node_gyp. An inner install must see none of that; the
# user's own npmrc files still apply, since npm reads them itself.
outside_npm() {
  local unset_args=() name dir path_clean=
  for name in $(compgen -e); do
    case "$name" in npm_* | INIT_CWD) unset_args+=(-u "$name") ;; esac
  done
  local IFS=:
  for dir in $PATH; do
    case "$dir" in */node_modules/.bin | */node-gyp-bin) ;; *) path_clean="${path_clean:+$path_clean:}$dir" ;; esac
  done
  env "${unset_args[@]}" PATH="$path_clean" "$@"
}
