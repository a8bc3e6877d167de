"""reader's library for agents: an MCP server over stdio (`reader mcp`), beside the TUI and CLI.

Everything here needs the `mcp` extra and is imported only by `reader mcp`, so the SDK never
slows the start of any other command.
"""
