# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Containers run on Swarm clusters (API microversion 1.15).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa

from magnum_lite.db.sqlalchemy import types

revision = '0002'
down_revision = '0001'

TABLE_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


def upgrade():
    op.create_table(
        'container',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('project_id', sa.String(255)),
        sa.Column('user_id', sa.String(255)),
        sa.Column('name', sa.String(255)),
        sa.Column('image', sa.String(255)),
        sa.Column('command', types.JSONEncoded()),
        sa.Column('environment', types.JSONDict()),
        sa.Column('memory', sa.String(255)),
        sa.Column('cluster_uuid', sa.String(36)),
        sa.Column('host', sa.String(255)),
        sa.Column('container_id', sa.String(255)),
        sa.Column('status', sa.String(20)),
        sa.Column('status_reason', sa.Text),
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.UniqueConstraint('uuid', name='uniq_container0uuid'),
        **TABLE_ARGS)
    op.create_index('ix_container_project_id', 'container', ['project_id'])
    op.create_index('ix_container_name', 'container', ['name'])
    op.create_index('ix_container_cluster_uuid', 'container',
                    ['cluster_uuid'])
