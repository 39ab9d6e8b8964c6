"""`inbox users add|list|disable|enable|password|role`: the workspace's accounts."""

from __future__ import annotations

import click

from accounts.users import add_user, set_active, set_password, set_role
from models import Role

ROLES = click.Choice([role.value for role in Role])


@click.group("users")
def users_group() -> None:
    """Accounts for the staff workspace (`inbox web`)."""


def _password(given: str | None) -> str:
    return given or click.prompt("Password (at least 12 characters)", hide_input=True, confirmation_prompt=True)


@users_group.command("add")
@click.argument("username")
@click.option("--name", "display_name", default="", help="the person's name as the workspace shows it")
@click.option("--role", type=ROLES, default="staff", show_default=True)
@click.option("--password-env", help="read the password from this environment variable instead of asking")
@click.option("--no-password", is_flag=True, help="signs in only through the identity provider (OpenID Connect) or the trusted proxy header")
@click.option("--by", "actor", default="admin", show_default=True, help="who does this (audit log)")
@click.pass_obj
def add(obj, username: str, display_name: str, role: str, password_env: str | None, no_password: bool, actor: str) -> None:
    """Create an account."""
    password = None if no_password else _password(_from_env(password_env))
    ctx = obj.context()
    with ctx.sessions() as session:
        user = add_user(session, username, display_name, Role(role), password, actor=actor)
        session.commit()
        click.echo(f"added {user.username} ({user.role.value})")


@users_group.command("list")
@click.pass_obj
def list_users(obj) -> None:
    """Every account, its role and whether it may sign in."""
    from sqlalchemy import select

    from models import User

    ctx = obj.context()
    with ctx.sessions() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            state = "active" if user.active else "disabled"
            click.echo(f"{user.username}\t{user.role.value}\t{state}\t{user.display_name}")


@users_group.command("password")
@click.argument("username")
@click.option("--password-env", help="read the new password from this environment variable instead of asking")
@click.option("--by", "actor", default="admin", show_default=True)
@click.pass_obj
def password(obj, username: str, password_env: str | None, actor: str) -> None:
    """Set a new password (and clear the failed sign-in count)."""
    new = _password(_from_env(password_env))
    ctx = obj.context()
    with ctx.sessions() as session:
        set_password(session, username, new, actor=actor)
        session.commit()
    click.echo(f"password set for {username}")


@users_group.command("disable")
@click.argument("username")
@click.option("--by", "actor", default="admin", show_default=True)
@click.pass_obj
def disable(obj, username: str, actor: str) -> None:
    """Stop an account from signing in; its open sessions end at their next request."""
    _active(obj, username, False, actor)


@users_group.command("enable")
@click.argument("username")
@click.option("--by", "actor", default="admin", show_default=True)
@click.pass_obj
def enable(obj, username: str, actor: str) -> None:
    """Let a disabled account sign in again."""
    _active(obj, username, True, actor)


@users_group.command("role")
@click.argument("username")
@click.argument("role", type=ROLES)
@click.option("--by", "actor", default="admin", show_default=True)
@click.pass_obj
def role(obj, username: str, role: str, actor: str) -> None:
    """Make an account staff or admin."""
    ctx = obj.context()
    with ctx.sessions() as session:
        set_role(session, username, Role(role), actor=actor)
        session.commit()
    click.echo(f"{username} is now {role}")


def _active(obj, username: str, active: bool, actor: str) -> None:
    ctx = obj.context()
    with ctx.sessions() as session:
        set_active(session, username, active, actor=actor)
        session.commit()
    click.echo(f"{username} {'enabled' if active else 'disabled'}")


def _from_env(name: str | None) -> str | None:
    import os

    from inbox.errors import InboxError

    if name is None:
        return None
    value = os.environ.get(name)
    if not value:
        raise InboxError(f"the environment variable {name} is not set")
    return value


COMMANDS = [users_group]
