"""`inbox web`: serve the staff workspace with uvicorn over the configured database."""

from __future__ import annotations

import click


@click.command("web")
@click.option("--host", help="address to listen on (default: [web] host)")
@click.option("--port", type=int, help="port (default: [web] port)")
@click.pass_obj
def web(obj, host: str | None, port: int | None) -> None:
    """Serve the staff workspace (Swedish, in the browser). Put it behind the board's HTTPS proxy."""
    import uvicorn

    from web.app import create_app

    ctx = obj.pipeline_context()  # its admin pages check and dry-run mail through the pipeline
    settings = ctx.settings.web
    click.echo(f"the workspace listens on http://{host or settings.host}:{port or settings.port}/ (open {settings.base_url}/)")
    # X-Forwarded-For would replace the proxy's own address by the browser's, and the trusted user header is
    # believed only from the proxy's address: with that header configured, the TCP peer is kept as it is.
    forwarded = settings.trusted_user_header is None
    uvicorn.run(create_app(ctx), host=host or settings.host, port=port or settings.port, log_level="warning",
                proxy_headers=forwarded, forwarded_allow_ips=",".join(settings.trusted_proxies), server_header=False)


COMMANDS = [web]
