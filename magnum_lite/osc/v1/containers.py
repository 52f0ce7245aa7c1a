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

"""`openstack coe container ...`: containers on Swarm clusters."""

import argparse

from osc_lib.command import command
from osc_lib import exceptions
from osc_lib import utils

from magnum_lite.client import containers as containers_client

LIST_COLUMNS = ('uuid', 'name', 'image', 'status', 'host', 'cluster_uuid')
SHOW_COLUMNS = ('uuid', 'name', 'image', 'command', 'environment',
                'memory', 'status', 'status_reason', 'host', 'cluster_uuid',
                'project_id', 'user_id', 'created_at', 'updated_at')


def _client(cmd):
    return cmd.app.client_manager.container_infra_containers


def _calling(function, *args):
    """The API's answer, or its error as an OSC CommandError."""
    try:
        return function(*args)
    except containers_client.ContainerAPIError as exc:
        raise exceptions.CommandError(str(exc))


def _key_values(pairs):
    result = {}
    for pair in pairs or []:
        key, sep, value = pair.partition('=')
        if not key or not sep:
            raise exceptions.CommandError(
                '--environment takes KEY=VALUE, not %r' % pair)
        result[key] = value
    return result


def _show(container):
    return SHOW_COLUMNS, utils.get_dict_properties(container, SHOW_COLUMNS)


class CreateContainer(command.ShowOne):
    """Create a container on a Swarm cluster."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--name', metavar='<name>',
                            help='Name of the container.')
        parser.add_argument('--image', metavar='<image>', required=True,
                            help='Image to run (copied from the host '
                                 'engine into the cluster when missing).')
        parser.add_argument('--cluster', metavar='<cluster>', required=True,
                            help='Swarm cluster (name or UUID).')
        parser.add_argument('--command', metavar='<command>',
                            help='Command line to run instead of the '
                                 "image's.")
        parser.add_argument('--environment', metavar='<KEY=VALUE>',
                            action='append', default=[],
                            help='Environment variable (repeat for more).')
        parser.add_argument('--memory', metavar='<size>',
                            help='Memory limit: bytes or 512m, 1g.')
        return parser

    def take_action(self, parsed_args):
        container = _calling(
            _client(self).create, parsed_args.image, parsed_args.cluster,
            parsed_args.name, parsed_args.command,
            _key_values(parsed_args.environment) or None,
            parsed_args.memory)
        return _show(container)


class ListContainer(command.Lister):
    """List containers."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--cluster', metavar='<cluster>',
                            help='Only the containers of this cluster.')
        parser.add_argument('--limit', metavar='<limit>', type=int,
                            help='At most this many containers.')
        parser.add_argument('--marker', metavar='<uuid>',
                            help='Start after this container.')
        return parser

    def take_action(self, parsed_args):
        found = _calling(_client(self).list, parsed_args.cluster,
                         parsed_args.limit, parsed_args.marker)
        return LIST_COLUMNS, (utils.get_dict_properties(c, LIST_COLUMNS)
                              for c in found)


def _with_container(parser):
    parser.add_argument('container', metavar='<container>',
                        help='Name or UUID.')
    return parser


class ShowContainer(command.ShowOne):
    """Show a container."""

    def get_parser(self, prog_name):
        return _with_container(super().get_parser(prog_name))

    def take_action(self, parsed_args):
        return _show(_calling(_client(self).get, parsed_args.container))


class _EachContainer(command.Command):
    """A command applied to one or more containers."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('containers', metavar='<container>', nargs='+',
                            help='Name or UUID (repeat for more).')
        return parser

    def apply(self, client, container):
        raise NotImplementedError

    def take_action(self, parsed_args):
        failures = []
        for container in parsed_args.containers:
            try:
                self.apply(_client(self), container)
            except containers_client.ContainerAPIError as exc:
                failures.append('%s: %s' % (container, exc))
        if failures:
            raise exceptions.CommandError('\n'.join(failures))


class DeleteContainer(_EachContainer):
    """Delete containers."""

    def apply(self, client, container):
        client.delete(container)


class _ActionContainer(_EachContainer):
    """start|stop|reboot|pause|unpause, named by `action`."""

    action = None

    def apply(self, client, container):
        client.action(container, self.action)


class StartContainer(_ActionContainer):
    """Start containers."""

    action = 'start'


class StopContainer(_ActionContainer):
    """Stop containers."""

    action = 'stop'


class RebootContainer(_ActionContainer):
    """Restart containers."""

    action = 'reboot'


class PauseContainer(_ActionContainer):
    """Pause containers."""

    action = 'pause'


class UnpauseContainer(_ActionContainer):
    """Unpause containers."""

    action = 'unpause'


class LogsContainer(command.Command):
    """Print a container's output (stdout and stderr) so far."""

    def get_parser(self, prog_name):
        return _with_container(super().get_parser(prog_name))

    def take_action(self, parsed_args):
        output = _calling(_client(self).logs, parsed_args.container)
        self.app.stdout.write(output)


class ExecContainer(command.Command):
    """Run a command in a container; exits with the command's code."""

    def get_parser(self, prog_name):
        parser = _with_container(super().get_parser(prog_name))
        # REMAINDER: the command's own options (sh -c ...) are not ours.
        parser.add_argument('command', metavar='<command>',
                            nargs=argparse.REMAINDER,
                            help='The command and its arguments (one '
                                 'quoted command line works too).')
        return parser

    def take_action(self, parsed_args):
        words = parsed_args.command
        if not words:
            raise exceptions.CommandError('A command to run is required.')
        command_line = words[0] if len(words) == 1 else words
        result = _calling(_client(self).execute, parsed_args.container,
                          command_line)
        self.app.stdout.write(result.get('output') or '')
        code = result.get('exit_code')
        # cliff makes what take_action returns the process status.
        return min(max(code, 0), 255) if isinstance(code, int) else 0
