#!/bin/sh
# Starts mariadbd, Galera member web1 of lab ha; rendered by webinfra, edits are overwritten.
# After a crash (a kill, a power cut) grastate.dat says seqno -1: the member no longer knows how far
# it got, and would ask its donor for a full state transfer (SST), which takes the donor out of sync
# (its health check red) for as long as the copy takes. As Debian's own unit does, recover the
# position first (galera_recovery runs mariadbd --wsrep-recover, which replays InnoDB's redo log)
# and pass it: the member then rejoins by an incremental transfer from the donor's gcache, and the
# donor keeps serving. If the recovery fails, the member starts without it, and gets an SST.
# When webinfra has just recovered the position itself (to choose whom to bootstrap from after the
# whole cluster went down), it left it in /var/lib/webinfra/ha/hosts/web1/run/mariadb/recovered-position: used only if newer than grastate.dat,
# that is if the member has not run since, so the redo log is not replayed twice.
pos=
if grep -qs '^seqno:[[:space:]]*-1' /var/lib/webinfra/ha/hosts/web1/data/mysql/grastate.dat; then
  if [ -s /var/lib/webinfra/ha/hosts/web1/run/mariadb/recovered-position ] && [ /var/lib/webinfra/ha/hosts/web1/run/mariadb/recovered-position -nt /var/lib/webinfra/ha/hosts/web1/data/mysql/grastate.dat ]; then
    pos="--wsrep_start_position=$(cat /var/lib/webinfra/ha/hosts/web1/run/mariadb/recovered-position)"
  else
    pos=$(/usr/bin/galera_recovery --defaults-file=/var/lib/webinfra/ha/hosts/web1/etc/my.cnf) || pos=
  fi
fi
exec mariadbd --defaults-file=/var/lib/webinfra/ha/hosts/web1/etc/my.cnf $pos "$@"
