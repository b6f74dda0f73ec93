#!/bin/sh
# migrations-check.sh: the two engines' migrations must not drift. Every numbered SQL file of
# src/store/migrations/ (SQLite) has its twin of the same name in src/store/migrations/pg/
# (PostgreSQL) and the reverse; the build stops otherwise (Makefile, build/gen/pg_migrations.c).
cd "$(dirname "$0")/.." || exit 1
a=$(cd src/store/migrations && ls *.sql | sort)
b=$(cd src/store/migrations/pg && ls *.sql | sort)
if [ "$a" != "$b" ]; then
    echo "migrations: src/store/migrations/ and src/store/migrations/pg/ must hold the same files:" >&2
    echo "$a" >/tmp/dvk-mig-a.$$
    echo "$b" >/tmp/dvk-mig-b.$$
    diff /tmp/dvk-mig-a.$$ /tmp/dvk-mig-b.$$ | sed -n 's/^< /  SQLite only: /p; s/^> /  PostgreSQL only: /p' >&2
    rm -f /tmp/dvk-mig-a.$$ /tmp/dvk-mig-b.$$
    exit 1
fi
