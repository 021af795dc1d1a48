# Kerberos's part of the smoke test (components/scripts/smoke-test.sh puts it in at its `# @parts` line): before
# anything else, the Kerberos logins the other parts registered (smoke_login), each user once, from its keytab;
# the first that fails is the failed step kerberos-login, and the test stops there.
# No parameters: a login the parts registered as "-" (or with "-" as keytab) is none (Kerberos is off).

kerberos_logins() {
  local login_of
  for login_of in "${smoke_logins[@]}"; do
    if [ "$login_of" = - ] || [ "${login_of#*:}" = - ] || [ -e "$(cache_of "${login_of%%:*}")" ]; then continue; fi
    if ! login "${login_of%%:*}" "${login_of#*:}" >"$work/kinit.err" 2>&1; then
      echo "kinit of ${login_of%%:*} from ${login_of#*:} failed: $(json_safe 300 <"$work/kinit.err")"
      return 1
    fi
  done
}

smoke_setup kerberos-login kerberos_logins
