"""The ``plotwise`` command: ``serve``, ``ask``, ``sql``, ``eval`` and friends."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from plotwise.errors import PlotwiseError
from plotwise.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code (0 ok, 1 the turn failed, 2 bad usage/input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except PlotwiseError as exc:
        print(f"plotwise: error: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) left early: not an error; silence the flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plotwise", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="serve the app (API, chat UI, sandbox)")
    serve.add_argument("--host", help="interface to bind (default PLOTWISE_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="app port (default PLOTWISE_PORT or 8000)")
    serve.add_argument(
        "--sandbox-port",
        type=int,
        help="port of the sandbox origin (default PLOTWISE_SANDBOX_PORT or 8001)",
    )
    serve.set_defaults(handler=_serve)

    ask = sub.add_parser("ask", help="run one turn in the terminal")
    ask.add_argument("question")
    ask.add_argument("--format", choices=["text", "json"], default="text")
    ask.set_defaults(handler=_ask)

    sql = sub.add_parser(
        "sql", help="run one read-only query through the SQL guard and the locked-down engine"
    )
    sql.add_argument("query", metavar="QUERY")
    sql.add_argument("--format", choices=["text", "json"], default="text")
    sql.add_argument(
        "--dataset", metavar="NAME", help="load only this dataset (default: PLOTWISE_DATASETS)"
    )
    sql.set_defaults(handler=_sql)

    ev = sub.add_parser("eval", help="run a JSONL question set and report execution accuracy")
    ev.add_argument("files", type=Path, nargs="+", metavar="FILE")
    ev.add_argument("-o", "--output", type=Path, help="write the JSON lines here, not stdout")
    ev.set_defaults(handler=_eval)

    draft = sub.add_parser(
        "draft-definition", help="print a draft dataset definition (YAML) for catalog tables"
    )
    draft.add_argument("name", help="the dataset's name")
    draft.add_argument("tables", nargs="+", metavar="TABLE")
    draft.set_defaults(handler=_draft)

    bench = sub.add_parser(
        "bench",
        help="measure latency, memory, rendering, TPC-H scale and a peer; print figures",
    )
    bench.add_argument("--turns", type=int, default=50, help="turns to time (default 50)")
    bench.add_argument(
        "--concurrent", type=int, default=50, help="turns started at once (default 50)"
    )
    bench.add_argument("--rounds", type=int, default=10, help="browser rounds (default 10)")
    bench.add_argument(
        "--runs", type=int, default=15, help="timed runs per side of each ratio (default 15)"
    )
    bench.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    bench.add_argument("--no-peer", action="store_true", help="skip the Datasette comparison")
    bench.add_argument(
        "--tpch-scales",
        type=_scale_list,
        default=[0.1, 1.0],
        metavar="SF,...",
        help="TPC-H scale factors to ask at (default 0.1,1; 'none' skips TPC-H)",
    )
    bench.add_argument(
        "--only-refresh", action="store_true", help="only the refresh (HTTP / DuckDB) figures"
    )
    bench.add_argument("--json", type=Path, dest="json_path", help="also write figures here")
    bench.set_defaults(handler=_bench)

    tpch = sub.add_parser(
        "tpch", help="generate the TPC-H tables (tpchgen-cli) at a scale factor, e.g. 1"
    )
    tpch.add_argument(
        "--scale",
        type=float,
        help="TPC-H scale factor (default PLOTWISE_TPCH_SCALE_FACTOR or 0.01)",
    )
    tpch.set_defaults(handler=_tpch)
    return parser


def _serve(args: argparse.Namespace) -> int:
    from plotwise.server import serve_app_and_sandbox

    overrides = {"host": args.host, "port": args.port, "sandbox_port": args.sandbox_port}
    settings = Settings(**{name: value for name, value in overrides.items() if value is not None})
    return serve_app_and_sandbox(settings)


def _ask(args: argparse.Namespace) -> int:
    from plotwise.outcome import collect
    from plotwise.services import Services
    from plotwise.turn import run_turn

    services = Services.open(Settings())
    try:
        outcome = asyncio.run(collect(run_turn(services, args.question)))
        job = None if outcome.job is None else asyncio.run(_job_summary(services, outcome.job))
    finally:
        services.close()
    if args.format == "json":
        print(
            json.dumps(
                {
                    "answer": outcome.answer,
                    "sql": outcome.sql,
                    "columns": [c.name for c in outcome.columns],
                    "rows": outcome.rows,
                    "params": outcome.params,
                    "row_count": outcome.row_count,
                    "truncated": outcome.truncated,
                    "code": outcome.code,
                    **({"job": job} if job else {}),
                    **({"error": outcome.error.model_dump()} if outcome.error else {}),
                },
                default=str,
            )
        )
    else:
        _print_text(outcome)
        if job:
            _print_job(job)
    return 1 if outcome.error else 0


async def _job_summary(services, job) -> dict[str, object]:  # noqa: ANN001 - imported lazily
    """The ``job`` object of ``ask --format json``: id, state, row count and the files' paths."""
    files = [
        {"format": f.format, "path": str(await services.jobs.file(job.job_id, f.format))}
        for f in job.files
    ]
    return {"id": job.job_id, "state": job.state, "row_count": job.row_count, "files": files}


def _print_job(job: dict) -> None:
    print(f"\nSpark job {job['id']}: {job['state']}")
    for file in job["files"]:
        print(f"  {file['format']}: {file['path']}")


def _sql(args: argparse.Namespace) -> int:
    """Run one query through `SQLService.execute`, the path the agent and the API use.

    Prints the rows (a table, or JSON ``{columns, rows, row_count, truncated}``) and returns
    0, or prints the error (JSON ``{error: {code, message[, rule]}}``) and returns 2 for a
    refused query or bad input, 1 for a query that failed or ran out of time.
    """
    from plotwise.services import Services

    settings = Settings(datasets=[args.dataset]) if args.dataset else Settings()
    try:
        services = Services.open(settings)
        try:
            result = asyncio.run(services.sql.execute(args.query))
        finally:
            services.close()
    except PlotwiseError as error:
        return _print_sql_error(error, args.format)
    names = [column.name for column in result.columns]
    if args.format == "json":
        body = {
            "columns": names,
            "rows": result.rows,
            "row_count": result.row_count,
            "truncated": result.truncated,
        }
        print(json.dumps(body, default=str))
    else:
        _print_table(names, result.rows)
        more = " (truncated at the row cap)" if result.truncated else ""
        print(f"\n{result.row_count:,} rows{more}")
    return 0


def _print_sql_error(error: PlotwiseError, output_format: str) -> int:
    """Print a failed query's error (stdout as JSON, or stderr as text); return the exit code."""
    from plotwise.errors import BadRequestError, DatasetError, NotFoundError, SQLRefusedError

    if output_format == "json":
        body: dict[str, str] = {"code": error.code, "message": error.message}
        if isinstance(error, SQLRefusedError):
            body["rule"] = error.rule
        print(json.dumps({"error": body}))
    else:
        print(f"plotwise: {error.code}: {error.message}", file=sys.stderr)
    # The caller's input was wrong (refused SQL, unknown dataset): 2; the query failed: 1.
    bad_input = (SQLRefusedError, BadRequestError, DatasetError, NotFoundError)
    return 2 if isinstance(error, bad_input) else 1


def _print_table(names: list[str], rows: list[list[object]]) -> None:
    """Print rows as left-aligned columns under their names; NULL prints as nothing."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    print("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def _print_text(outcome) -> None:  # noqa: ANN001 - TurnOutcome, imported lazily
    print(outcome.answer.strip())
    if outcome.error:
        print(f"\nerror ({outcome.error.code}): {outcome.error.message}", file=sys.stderr)
    if outcome.sql:
        print(f"\nSQL:\n{outcome.sql}\n")
        if outcome.params:
            bound = ", ".join(f"${k} = {v!r}" for k, v in outcome.params.items())
            print(f"Parameters: {bound}\n")
        _print_table([c.name for c in outcome.columns], outcome.rows)
        more = " (truncated at the row cap)" if outcome.truncated else ""
        print(f"\n{outcome.row_count:,} rows{more}")


def _eval(args: argparse.Namespace) -> int:
    from plotwise.evaluation import evaluate, read_questions, record_line, summary_line
    from plotwise.services import Services

    for path in args.files:
        if not path.is_file():
            raise PlotwiseError(f"question file {path} does not exist")
    question_sets = {path: list(read_questions(path)) for path in args.files}
    services = Services.open(Settings())
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    summaries: list[str] = []

    async def run_all() -> None:
        for path, questions in question_sets.items():
            records = []
            for question in questions:
                record = await evaluate(services, question)
                records.append(record)
                print(record_line(record), file=out, flush=True)
            summaries.append(f"{path.name}: {summary_line(records)}")

    try:
        asyncio.run(run_all())
    finally:
        services.close()
        if args.output:
            out.close()
    for line in summaries:
        print(line, file=sys.stderr if not args.output else sys.stdout)
    return 0


def _draft(args: argparse.Namespace) -> int:
    from plotwise.data.catalog import Catalog
    from plotwise.semantic.draft import draft_definition, to_yaml

    with Catalog.open(Settings()) as catalog:
        print(to_yaml(draft_definition(catalog, args.name, args.tables)), end="")
    return 0


def _scale_list(text: str) -> list[float]:
    """Parse ``--tpch-scales``: comma-separated positive numbers, or ``none``."""
    if text.strip().lower() == "none":
        return []
    try:
        scales = [float(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list like 0.1,1") from exc
    if not all(scale > 0 for scale in scales):
        raise argparse.ArgumentTypeError("scale factors must be positive")
    return scales


def _bench(args: argparse.Namespace) -> int:
    from plotwise.bench.command import BenchOptions, run_bench

    options = BenchOptions(
        turns=args.turns,
        concurrent=args.concurrent,
        rounds=args.rounds,
        runs=args.runs,
        browser=not args.no_browser,
        peer=not args.no_peer,
        tpch_scales=args.tpch_scales,
        only_refresh=args.only_refresh,
    )
    return run_bench(Settings(), options, args.json_path)


def _tpch(args: argparse.Namespace) -> int:
    """Generate the ``tpch`` dataset's tables in the data directory and say how to serve them."""
    import time

    from plotwise.data.tpch import ensure_tpch

    overrides = {} if args.scale is None else {"tpch_scale_factor": args.scale}
    settings = Settings(**overrides)
    started = time.perf_counter()
    paths = ensure_tpch(settings.resolved_data_dir(), settings.tpch_scale_factor)
    spent = time.perf_counter() - started
    scale = f"{settings.tpch_scale_factor:g}"
    print(f"TPC-H SF {scale} in {paths['lineitem'].parent} ({spent:.1f} s):")
    for table, path in paths.items():
        print(f"  {table:<9} {path.stat().st_size / 1e6:8.1f} MB")
    print(f"Serve it with PLOTWISE_TPCH_SCALE_FACTOR={scale} (another scale factor regenerates).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
