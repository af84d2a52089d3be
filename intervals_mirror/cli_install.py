"""The CLI's ways into other programs: `claude-config` (the entry for Claude Desktop's
config), `bundle` (an MCP Bundle for Claude Desktop) and `datasette-metadata` (the store
explained to Datasette).

The server is built (to list its tools) only inside `bundle`, so no other command loads it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from .cli_args import demo_flag, out_file_arg
from .cli_output import warn_without_demo_store
from .config import Settings


def add_install_commands(commands: Any) -> None:
    bundle = commands.add_parser(
        "bundle", help="build an MCP Bundle (.mcpb) that Claude Desktop installs by double "
                       "click",
        description="Writes a .mcpb file: a manifest (the server, its tools, and the settings "
                    "Claude Desktop asks for: the API key, kept in the OS keychain, the "
                    "athlete id and the store) and this installation's wheel, which it runs "
                    "with `uvx` (uv must be installed).")
    bundle.add_argument("--out", default="intervals-mirror.mcpb", metavar="FILE",
                        type=out_file_arg,
                        help="the bundle to write (default intervals-mirror.mcpb)")
    bundle.set_defaults(handler=cmd_bundle)

    metadata = commands.add_parser(
        "datasette-metadata", help="print Datasette metadata for the store (titles, "
                                   "descriptions, units, canned queries)",
        description="Prints metadata JSON for `datasette STORE -m metadata.json`: every "
                    "table, view and column described, units, and canned queries such as "
                    "weekly load by sport.")
    metadata.add_argument("--database", metavar="NAME",
                          help="the database name Datasette gives the store (default: its "
                               "file name without .sqlite, e.g. mirror)")
    metadata.add_argument("--out", metavar="FILE", type=out_file_arg,
                          help="write here instead of printing")
    demo_flag(metadata)
    metadata.set_defaults(handler=cmd_datasette_metadata)


def add_claude_config_command(commands: Any) -> None:
    claude = commands.add_parser(
        "claude-config", help="print the mcpServers entry for Claude Desktop's config",
        description="Prints a ready-to-paste JSON entry with absolute paths. Never prints the "
                    "API key: a key in the config file is found through "
                    "INTERVALS_MIRROR_CONFIG, otherwise a placeholder shows where it goes.")
    claude.add_argument("--write", action="store_true",
                        help="merge the entry into Claude Desktop's config file (backed up "
                             "first; other servers are left as they are)")
    claude.add_argument("--desktop-config", metavar="FILE",
                        help="--write: this file instead of Claude Desktop's own")
    demo_flag(claude)
    claude.set_defaults(handler=cmd_claude_config)

def cmd_bundle(args: argparse.Namespace, settings: Settings) -> int:
    from .bundle import write_bundle

    out = Path(args.out)
    made = write_bundle(out, server_tools())
    print(f"Wrote {out} ({out.stat().st_size // 1024} KB): {made['display_name']} "
          f"{made['version']}, {len(made['tools'])} tools. Open it with Claude Desktop (double "
          "click, or Settings > Extensions); it asks for your API key and athlete id and runs "
          "the server with uvx, which must be installed (https://docs.astral.sh/uv/).")
    return 0


def server_tools() -> list[tuple[str, str]]:
    """(name, description) of every tool a server with default settings lists."""
    from .server import create_server

    with tempfile.TemporaryDirectory() as folder:
        server = create_server(Settings(db_path=Path(folder) / "none.sqlite"), scheduler=False)
        tools = asyncio.run(server.list_tools())
    return [(tool.name, " ".join((tool.description or "").split())) for tool in tools]


def cmd_datasette_metadata(args: argparse.Namespace, settings: Settings) -> int:
    from .datasette_metadata import datasette_metadata

    text = json.dumps(datasette_metadata(args.database or settings.db_path.stem), indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"Wrote {args.out}: serve it with `datasette {settings.db_path} -m {args.out}`",
              file=sys.stderr)
    else:
        print(text)
    return 0


def cmd_claude_config(args: argparse.Namespace, settings: Settings) -> int:
    from .claude_config import claude_desktop_entry, write_claude_desktop_config
    from .config import claude_desktop_config_path

    warn_without_demo_store(settings)
    if args.write:
        target = Path(args.desktop_config) if args.desktop_config \
            else claude_desktop_config_path()
        print("\n".join(write_claude_desktop_config(settings, target, demo=args.demo)))
        return 0
    print(json.dumps(claude_desktop_entry(settings, demo=args.demo), indent=2))
    return 0
