"""`inbox web`: serve the staff workspace with uvicorn over the configured database."""

from __future__ import annotations

import click


@click.command("web")
@click.option("--host", help="address to listen on (default: [web] host)")
@click.option("--port", type=int, help="port (default: [web] port)")
@click.option("--public", is_flag=True,
              help="serve only the organisations' pages (/anslutning/...), the part to expose to the internet")
@click.pass_obj
def web(obj, host: str | None, port: int | None, public: bool) -> None:
    """Serve the staff workspace (Swedish, in the browser). Put it behind the board's HTTPS proxy.

    The workspace serves the organisations' pages too; with --public a second process serves only those,
    so the board can publish them without publishing the workspace."""
    import uvicorn

    ctx = obj.pipeline_context()  # its admin pages check and dry-run mail through the pipeline
    settings = ctx.settings.web
    where = f"http://{host or settings.host}:{port or settings.port}/"
    if public:
        from web.portal_app import create_portal_app
        app = create_portal_app(ctx)
        click.echo(f"the organisations' pages listen on {where} (their links start {ctx.settings.portal_base_url()}/anslutning/)")
    else:
        from web.app import create_app
        app = create_app(ctx)
        click.echo(f"the workspace listens on {where} (open {settings.base_url}/)")
    # X-Forwarded-For would replace the proxy's own address by the browser's, and the trusted user header is
    # believed only from the proxy's address: with that header configured, the TCP peer is kept as it is.
    forwarded = settings.trusted_user_header is None
    uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_level="warning",
                proxy_headers=forwarded, forwarded_allow_ips=",".join(settings.trusted_proxies), server_header=False)


COMMANDS = [web]
