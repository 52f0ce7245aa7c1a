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

"""Initial schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa

from magnum_lite.db.sqlalchemy import types

revision = '0001'
down_revision = None

TABLE_ARGS = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


def _timestamps():
    return [sa.Column('created_at', sa.DateTime),
            sa.Column('updated_at', sa.DateTime)]


def _string(name, length=255, **kwargs):
    return sa.Column(name, sa.String(length), **kwargs)


def upgrade():
    op.create_table(
        'cluster_template',
        sa.Column('id', sa.Integer, primary_key=True),
        _string('uuid', 36, nullable=False),
        _string('project_id'), _string('user_id'), _string('name'),
        _string('image_id'), _string('flavor_id'),
        _string('master_flavor_id'), _string('keypair_id'),
        _string('external_network_id'), _string('fixed_network'),
        _string('fixed_subnet'), _string('network_driver'),
        _string('volume_driver'), _string('dns_nameserver'),
        sa.Column('apiserver_port', sa.Integer),
        sa.Column('docker_volume_size', sa.Integer),
        _string('docker_storage_driver'), _string('cluster_distro'),
        _string('coe'), _string('http_proxy'), _string('https_proxy'),
        _string('no_proxy'),
        sa.Column('registry_enabled', sa.Boolean),
        sa.Column('labels', types.JSONDict()),
        sa.Column('tls_disabled', sa.Boolean),
        sa.Column('public', sa.Boolean),
        _string('server_type'), _string('insecure_registry'),
        sa.Column('master_lb_enabled', sa.Boolean),
        sa.Column('floating_ip_enabled', sa.Boolean),
        sa.Column('hidden', sa.Boolean),
        _string('tags'), _string('driver'),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uniq_cluster_template0uuid'),
        **TABLE_ARGS)
    op.create_index('ix_cluster_template_project_id', 'cluster_template',
                    ['project_id'])
    op.create_index('ix_cluster_template_name', 'cluster_template', ['name'])

    op.create_table(
        'cluster',
        sa.Column('id', sa.Integer, primary_key=True),
        _string('uuid', 36, nullable=False),
        _string('project_id'), _string('user_id'), _string('name'),
        _string('cluster_template_id', 36), _string('driver'),
        _string('keypair'),
        sa.Column('docker_volume_size', sa.Integer),
        sa.Column('labels', types.JSONDict()),
        _string('master_flavor_id'), _string('flavor_id'),
        _string('stack_id'), _string('api_address'),
        _string('status', 20),
        sa.Column('status_reason', sa.Text),
        _string('backend_status', 64),
        sa.Column('faults', types.JSONDict()),
        _string('health_status', 20),
        sa.Column('health_status_reason', types.JSONDict()),
        sa.Column('create_timeout', sa.Integer),
        _string('discovery_url'), _string('coe_version'),
        _string('container_version'), _string('fixed_network'),
        _string('fixed_subnet'),
        sa.Column('floating_ip_enabled', sa.Boolean),
        sa.Column('master_lb_enabled', sa.Boolean),
        _string('trust_id'), _string('trustee_user_id'),
        _string('trustee_username'),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uniq_cluster0uuid'),
        **TABLE_ARGS)
    op.create_index('ix_cluster_project_id', 'cluster', ['project_id'])
    op.create_index('ix_cluster_name', 'cluster', ['name'])
    op.create_index('ix_cluster_cluster_template_id', 'cluster',
                    ['cluster_template_id'])
    op.create_index('cluster_status_idx', 'cluster', ['status'])

    op.create_table(
        'nodegroup',
        sa.Column('id', sa.Integer, primary_key=True),
        _string('uuid', 36, nullable=False),
        _string('name', nullable=False),
        _string('cluster_id', 36, nullable=False),
        _string('project_id'),
        sa.Column('docker_volume_size', sa.Integer),
        sa.Column('labels', types.JSONDict()),
        _string('flavor_id'), _string('image_id'),
        sa.Column('node_addresses', types.JSONList()),
        sa.Column('node_count', sa.Integer),
        _string('role'),
        sa.Column('max_node_count', sa.Integer),
        sa.Column('min_node_count', sa.Integer),
        sa.Column('is_default', sa.Boolean),
        _string('stack_id'), _string('status', 20),
        sa.Column('status_reason', sa.Text),
        _string('version', 20),
        sa.Column('node_labels', types.JSONDict()),
        sa.Column('node_taints', types.JSONList()),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uniq_nodegroup0uuid'),
        sa.UniqueConstraint('cluster_id', 'name',
                            name='uniq_nodegroup0cluster_id0name'),
        **TABLE_ARGS)
    op.create_index('ix_nodegroup_cluster_id', 'nodegroup', ['cluster_id'])

    op.create_table(
        'certificate',
        sa.Column('id', sa.Integer, primary_key=True),
        _string('cluster_uuid', 36, nullable=False),
        _string('ca_cert_type', 32, nullable=False),
        sa.Column('certificate', sa.Text, nullable=False),
        sa.Column('private_key', sa.Text, nullable=False),
        _string('project_id'), _string('user_id'),
        *_timestamps(),
        sa.UniqueConstraint('cluster_uuid', 'ca_cert_type',
                            name='uniq_certificate0cluster_uuid0ca_cert_type'),
        **TABLE_ARGS)

    op.create_table(
        'service',
        sa.Column('id', sa.Integer, primary_key=True),
        _string('host'), _string('binary'),
        sa.Column('disabled', sa.Boolean),
        _string('disabled_reason'),
        sa.Column('last_seen_up', sa.DateTime),
        sa.Column('forced_down', sa.Boolean),
        sa.Column('report_count', sa.Integer, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('host', 'binary', name='uniq_service0host0binary'),
        **TABLE_ARGS)

    op.create_table(
        'quota',
        sa.Column('id', sa.Integer, primary_key=True),
        _string('project_id'), _string('resource'),
        sa.Column('hard_limit', sa.Integer),
        *_timestamps(),
        sa.UniqueConstraint('project_id', 'resource',
                            name='uniq_quota0project_id0resource'),
        **TABLE_ARGS)

    op.create_table(
        'federation',
        sa.Column('id', sa.Integer, primary_key=True),
        _string('uuid', 36, nullable=False),
        _string('project_id'), _string('name'), _string('hostcluster_id'),
        sa.Column('member_ids', types.JSONList()),
        _string('status', 20),
        sa.Column('status_reason', sa.Text),
        sa.Column('properties', types.JSONDict()),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uniq_federation0uuid'),
        **TABLE_ARGS)
    op.create_index('ix_federation_project_id', 'federation', ['project_id'])
