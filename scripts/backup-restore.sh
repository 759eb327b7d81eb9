#!/usr/bin/env bash
# Sauvegarder et restaurer la base PostgreSQL d'une fédération (docs/deploiement.md).
#
#   scripts/backup-restore.sh backup  FICHIER.dump   # pg_dump de VALUECHAIN_DATABASE_URL
#   scripts/backup-restore.sh restore FICHIER.dump   # dans VALUECHAIN_DATABASE_URL (base vide)
#   scripts/backup-restore.sh check                  # l'essai complet, sur le PostgreSQL local
#
# "check" crée deux bases jetables sur le serveur local (PGHOST, 127.0.0.1 par défaut), y met
# deux centres, un membre et une version supprimée, sauvegarde, restaure dans l'autre base et
# vérifie avec la ligne de commande de valuechain que tout y est : versions, rôles, journal,
# version supprimée encore restaurable. Il efface ses deux bases en partant.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3

# pg_dump and psql want a libpq address: postgresql://…, without SQLAlchemy's "+psycopg".
libpq() { printf '%s' "${1/postgresql+psycopg:/postgresql:}"; }

case "${1:-}" in
  backup)
    : "${VALUECHAIN_DATABASE_URL:?VALUECHAIN_DATABASE_URL : la base à sauvegarder}"
    pg_dump --format=custom --no-owner --file="${2:?le fichier de sauvegarde}" "$(libpq "$VALUECHAIN_DATABASE_URL")"
    echo "Sauvegarde écrite : $2"
    ;;
  restore)
    : "${VALUECHAIN_DATABASE_URL:?VALUECHAIN_DATABASE_URL : la base où restaurer}"
    pg_restore --no-owner --exit-on-error --dbname="$(libpq "$VALUECHAIN_DATABASE_URL")" "${2:?le fichier de sauvegarde}"
    echo "Sauvegarde restaurée : $2"
    ;;
  check)
    host="${PGHOST:-127.0.0.1}" user="${PGUSER:-postgres}"
    source_db="valuechain_backup_source_$$" target_db="valuechain_backup_target_$$"
    dump="$(mktemp -d)/federation.dump"
    cleanup() { dropdb -h "$host" -U "$user" --if-exists "$source_db"; dropdb -h "$host" -U "$user" --if-exists "$target_db"; }
    trap cleanup EXIT
    createdb -h "$host" -U "$user" "$source_db"
    createdb -h "$host" -U "$user" "$target_db"
    source_url="postgresql+psycopg://$user@$host/$source_db" target_url="postgresql+psycopg://$user@$host/$target_db"
    federation="Fédération des centres sociaux de Seine-Maritime"
    vc() { VALUECHAIN_DATABASE_URL="$1" "$PYTHON" -m valuechain "${@:2}"; }
    vc "$source_url" members first-admin admin@fd76.fr --federation "$federation"
    vc "$source_url" import sample_data/association-les-embruns-creche-fictif.xlsx \
        sample_data/maison-des-habitants-les-falaises-fictif.xlsx --as admin@fd76.fr
    vc "$source_url" members grant membre@embruns.fr member --federation "$federation" \
        --centre "Association Les Embruns" --as admin@fd76.fr
    deleted=$(vc "$source_url" versions --json --as admin@fd76.fr | "$PYTHON" -c \
        'import json,sys; print([v["id"] for v in json.load(sys.stdin) if "Falaises" in v["centre"]][0])')
    vc "$source_url" versions --delete "$deleted" --as admin@fd76.fr
    VALUECHAIN_DATABASE_URL="$source_url" "$0" backup "$dump"
    VALUECHAIN_DATABASE_URL="$target_url" "$0" restore "$dump"
    # What the restored base must hold, read as the people who use it.
    member=$(vc "$target_url" versions --json --as membre@embruns.fr)
    echo "$member" | "$PYTHON" -c 'import json,sys; v=json.load(sys.stdin); assert [x["centre"] for x in v] == ["Association Les Embruns"], v'
    vc "$target_url" versions --deleted --json --as admin@fd76.fr | "$PYTHON" -c \
        "import json,sys; v=json.load(sys.stdin); assert [x['id'] for x in v] == [$deleted], v"
    vc "$target_url" audit --federation "$federation" --csv --as admin@fd76.fr | grep -q "suppression"
    vc "$target_url" versions --restore "$deleted" --as admin@fd76.fr
    echo "Sauvegarde et restauration vérifiées : versions, rôles, journal et version supprimée retrouvés."
    ;;
  *)
    sed -n '2,12p' "$0"
    exit 2
    ;;
esac
