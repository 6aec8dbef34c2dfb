"""`modulplan serve`, `modulplan worker`, `modulplan token create|revoke`, `modulplan feed
revoke`, `modulplan erase-participants` and `modulplan board` (``service.cli.board``), hooked
into scheduler/cli through the ``modulplan.commands`` entry point.

Every ``modulplan`` command loads this module to register these subcommands, so the commands
import the service (SQLAlchemy, Flask, gunicorn, Celery) inside their functions, for start-up
speed: ``modulplan solve`` does not pay for them.
"""

from __future__ import annotations

import argparse
import os
import sys

from service.cli.board import add_subcommands as add_board_subcommands
from service.cli.common import open_database


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the API (DATABASE_URL, REDIS_URL from the environment; embedded defaults)")
    p.add_argument("--host", default=os.environ.get("MODULPLAN_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("MODULPLAN_PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("MODULPLAN_WEB_WORKERS", "0")),
                   help="gunicorn worker processes (default: 1 with the embedded executor, else 2 per core)")
    p.add_argument("--threads", type=int, default=int(os.environ.get("MODULPLAN_WEB_THREADS", "16")),
                   help="threads per worker process (default 16)")
    p.add_argument("--dev", action="store_true", help="Werkzeug's development server instead of gunicorn")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run a Celery worker for solve jobs (needs REDIS_URL and a shared DATABASE_URL)")
    p.add_argument("--concurrency", type=int, default=int(os.environ.get("MODULPLAN_WORKER_CONCURRENCY", "1")),
                   help="solves at once in this worker (default 1)")
    p.add_argument("--loglevel", default="INFO")
    p.add_argument("--hostname", default=None, help="Celery node name (default: celery@<host>)")
    p.add_argument("--queues", default=None,
                   help="queues to take tasks from (default: the job queue and its parts queue, "
                        "MODULPLAN_QUEUE and MODULPLAN_PARTS_QUEUE; docs/scale.md)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("token", help="API tokens")
    tsub = p.add_subparsers(dest="token_command", required=True)
    c = tsub.add_parser("create", help="print a new API token (only its hash is stored)")
    c.add_argument("--role", required=True, choices=["coordinator", "planner", "manager"])
    c.add_argument("--workplace", help="the workplace id a manager may see (manager tokens only)")
    c.add_argument("--label", help="a note on whose token this is")
    c.set_defaults(func=cmd_token_create)
    r = tsub.add_parser("revoke", help="revoke a token (give the token itself)")
    r.add_argument("token")
    r.set_defaults(func=cmd_token_revoke)
    p = sub.add_parser("feed", help="calendar feeds")
    fsub = p.add_subparsers(dest="feed_command", required=True)
    r = fsub.add_parser("revoke", help="revoke a feed: its URL answers 404 from now on")
    r.add_argument("url", help="the feed's URL (or just its token)")
    r.set_defaults(func=cmd_feed_revoke)
    e = sub.add_parser("erase-participants", help="erase a programme's participant data (ids become pseudonyms)")
    e.add_argument("scenario", help="the resource id of any stored scenario of the programme")
    e.set_defaults(func=cmd_erase_participants)
    add_board_subcommands(sub)  # the planning board (issue 8)


def cmd_token_create(args) -> int:
    from service.auth import create_token

    try:
        with open_database() as db:
            token, row = create_token(db, args.role, args.workplace, args.label)
    except ValueError as exc:
        print(f"modulplan token create: {exc}", file=sys.stderr)
        return 2
    print(token)
    print(f"created {row.role} token {row.id}" + (f" for workplace {row.workplace}" if row.workplace else ""),
          file=sys.stderr)
    return 0


def cmd_token_revoke(args) -> int:
    from sqlalchemy import select

    from service.auth import hash_token
    from service.store.db import ApiTokenRow, utcnow

    with open_database() as db, db.Session.begin() as s:
        row = s.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(args.token)))
        if row is None:
            print("no such token", file=sys.stderr)
            return 2
        row.revoked_at = utcnow()
    print(f"revoked token {row.id}", file=sys.stderr)
    return 0


def cmd_feed_revoke(args) -> int:
    from service.store import revoke_feed

    token = args.url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".ics")
    with open_database() as db:
        row = revoke_feed(db, token)
    if row is None:
        print("modulplan feed revoke: no calendar feed has this address", file=sys.stderr)
        return 2
    print(f"revoked the {row.kind} feed of {row.entity_id}", file=sys.stderr)
    return 0


def cmd_erase_participants(args) -> int:
    from service.store import publish_lineage
    from service.store.db import ScenarioRow
    from service.store.erase import erase_participants

    with open_database() as db:
        with db.Session() as s:
            row = s.get(ScenarioRow, args.scenario)
            lineage = publish_lineage(s, row) if row else None
        if lineage is None:
            print(f"modulplan erase-participants: there is no scenario {args.scenario}", file=sys.stderr)
            return 2
        n = erase_participants(db, lineage)
    print(f"erased {n} participant(s) of programme {lineage}: their ids are now pseudonyms", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    """The API: gunicorn (threads; solves run in child processes, so requests never wait for
    one), or with ``--dev`` Werkzeug's development server."""
    from service.config import executor_kind, from_environment

    embedded = executor_kind(dict(from_environment())) != "celery"
    where = f"http://{args.host}:{args.port}/api/v1/ (docs: /api/v1/docs, board: /board/)"
    if args.dev:
        from werkzeug.serving import run_simple

        from service.app import create_app

        app = create_app()
        st = app.extensions["modulplan"]
        print(f"modulplan API (development server) on {where} - database "
              f"{st.db.engine.url.render_as_string(hide_password=True)}, executor {st.executor.kind}",
              file=sys.stderr, flush=True)
        run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
        return 0
    from gunicorn.app.base import BaseApplication

    # One process with the embedded executor: its jobs, cancels and reaper live in that process.
    workers = args.workers or (1 if embedded else 2 * (os.cpu_count() or 1))

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{args.host}:{args.port}", "workers": workers, "threads": args.threads,
                               "worker_class": "gthread", "timeout": 180, "graceful_timeout": 30,
                               "keepalive": 5, "accesslog": None, "errorlog": "-", "loglevel": "info",
                               "limit_request_line": 8190, "limit_request_fields": 100}.items():
                self.cfg.set(key, value)

        def load(self):
            from service.app import create_app  # in each worker process: its threads start after the fork

            return create_app()

    print(f"modulplan API on {where} - gunicorn, {workers} process(es) x {args.threads} threads",
          file=sys.stderr, flush=True)
    Server().run()
    return 0


def cmd_worker(args) -> int:
    if not os.environ.get("REDIS_URL"):
        print("modulplan worker: set REDIS_URL (the broker) and DATABASE_URL (shared with the API)", file=sys.stderr)
        return 2
    from service.jobs.celery_app import get_app, worker_state
    from service.jobs.fanout import parts_queue

    worker_state()  # migrate and connect before taking jobs
    # Threads: each job's solve runs in a child process of its own (service/jobs/child.py), with its
    # memory and time limits; a prefork pool's daemonic processes may not start children.
    argv = ["worker", "--pool", "threads", "--concurrency", str(args.concurrency), "--loglevel", args.loglevel,
            "--without-gossip", "--without-mingle"]
    if args.hostname:
        argv += ["--hostname", args.hostname]
    app = get_app()
    job_queue = str(app.conf.task_default_queue)
    argv += ["--queues", args.queues or f"{job_queue},{parts_queue(job_queue)}"]  # parts never wait behind jobs
    app.worker_main(argv)
    return 0
