"""Alembic environment: always given a connection by app.migrations.upgrade."""

from alembic import context

from app.models import Base, postgresql_options

postgresql_options()  # the PostgreSQL partial indexes, for autogenerate

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # `alembic` command line during development
    from sqlalchemy import create_engine

    connection = create_engine(config.get_main_option("sqlalchemy.url")).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
