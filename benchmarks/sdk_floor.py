"""The least any server built on the installed MCP SDK can take to answer ``initialize``: one
tool, nothing else. bench_clients.py starts it with this project's interpreter (mcp 2.x) and
with ``.venv-mcp1``'s (mcp 1.x), so the start-up of ours reads against the SDK's own.

Standard library and the SDK only.
"""

from __future__ import annotations

try:  # mcp 2.x
    from mcp.server.mcpserver import MCPServer as Server
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import FastMCP as Server  # type: ignore[no-redef]

server = Server("sdk-floor")


@server.tool()
def echo(text: str) -> str:
    """Say the text back."""
    return text


if __name__ == "__main__":
    server.run()
