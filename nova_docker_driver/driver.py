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

"""A Nova compute driver that runs instances as Docker containers.

Set ``[DEFAULT] compute_driver = docker.DockerDriver`` in nova.conf after
installing the ``nova.virt.docker`` shim (``nova-docker-install``, see
README.rst). One container per instance, named ``nova-<instance uuid>``;
Glance images are ``docker save`` tarballs; Neutron ports are veth pairs in
the container's network namespace (vifs.py).
"""

import time

from nova.compute import power_state
from nova import exception
from nova.objects import diagnostics as diagnostics_obj
from nova.objects import fields as obj_fields
from nova.virt import driver
from nova.virt import hardware
import os_resource_classes as orc
from oslo_log import log as logging
from oslo_utils import excutils
from oslo_utils import timeutils

from nova_docker_driver import client
from nova_docker_driver import conf as docker_conf
from nova_docker_driver import events
from nova_docker_driver import hostinfo
from nova_docker_driver import images
from nova_docker_driver import metadata
from nova_docker_driver import nested
from nova_docker_driver import vifs

LOG = logging.getLogger(__name__)
CONF = docker_conf.CONF

_ENDED = ('the container ended before its ports could be plugged (status '
          '%s); its image must run a long-lived command')

# Docker container status -> Nova power state. A frozen container is
# PAUSED unless the driver suspended it (see get_info).
POWER_STATES = {
    'created': power_state.SHUTDOWN,
    'running': power_state.RUNNING,
    'restarting': power_state.RUNNING,
    'paused': power_state.PAUSED,
    'exited': power_state.SHUTDOWN,
    'removing': power_state.NOSTATE,
    'dead': power_state.CRASHED,
}


class DockerDriver(driver.ComputeDriver):
    """Docker as a hypervisor.

    Every ComputeDriver method is implemented except those listed, with the
    reason, in ``UNSUPPORTED``; the compute API answers those operations
    as not supported by this hypervisor.
    """

    # The ComputeDriver methods this driver leaves unimplemented on purpose;
    # Nova gets NotImplementedError from them and reports the operation as not
    # supported by the hypervisor. The test suite fails on any other
    # NotImplementedError.
    UNSUPPORTED = {
        'rescue': 'a container has no second boot disk to rescue from',
        'unrescue': 'no rescue, so nothing to undo',
        'set_admin_password': 'there is no guest agent in a container',
        'trigger_crash_dump': 'containers have no NMI or kernel crash dump',
        'attach_volume': 'block devices are not mapped into containers',
        'detach_volume': 'block devices are not mapped into containers',
        'swap_volume': 'block devices are not mapped into containers',
        'extend_volume': 'block devices are not mapped into containers',
        'get_volume_connector': 'block devices are not mapped into containers',
        'block_stats': 'containers have no block devices to report on',
        'get_device_name_for_instance':
            'block devices are not mapped into containers',
        'get_vnc_console': 'containers have no graphical console; use '
                           'the console log',
        'get_spice_console': 'containers have no graphical console; use '
                             'the console log',
        'get_mks_console': 'containers have no graphical console; use '
                           'the console log',
        'get_serial_console': 'an interactive console would bypass Nova\'s '
                              'console proxy authentication; use the log',
        'migrate_disk_and_power_off': 'container file systems live in the '
                                      'local engine; resize and cold migration '
                                      'would need image export between hosts',
        'finish_migration': 'no resize or cold migration (see '
                            'migrate_disk_and_power_off)',
        'confirm_migration': 'no resize or cold migration',
        'finish_revert_migration': 'no resize or cold migration',
        'live_migration': 'Docker cannot move a running process between '
                          'engines (CRIU checkpoints are experimental)',
        'live_migration_force_complete': 'no live migration',
        'live_migration_abort': 'no live migration',
        'check_can_live_migrate_destination': 'no live migration',
        'check_can_live_migrate_source': 'no live migration',
        'pre_live_migration': 'no live migration',
        'get_instance_disk_info': 'only used by live migration',
        'host_power_action': 'Nova must not reboot or power off the host '
                             'that runs the Docker engine',
        'host_maintenance_mode': 'use the compute service disable API',
        'set_host_enabled': 'use the compute service disable API',
        'rebuild': 'Nova\'s own rebuild (destroy, then spawn from the new '
                   'image) is exactly what a container needs',
        'default_root_device_name': 'containers have no block devices; '
                                    'Nova\'s default naming applies',
        'default_device_names_for_instance': 'containers have no block '
                                             'devices; Nova\'s default '
                                             'naming applies',
        'quiesce': 'there is no guest agent to freeze file systems; Nova '
                   'snapshots without quiescing',
        'unquiesce': 'no quiesce, so nothing to undo',
        'volume_snapshot_create': 'block devices are not mapped into '
                                  'containers',
        'volume_snapshot_delete': 'block devices are not mapped into '
                                  'containers',
        'mount_share': 'virtiofs shares need a VM; a bind mount would '
                       'bypass Manila\'s access rules',
        'umount_share': 'no share mounting (see mount_share)',
        'is_share_mounted': 'no share mounting (see mount_share)',
        'power_update_event': 'only for drivers whose power state is '
                              'changed outside Nova (Ironic)',
        'rollback_live_migration_at_destination': 'no live migration',
        'post_live_migration_at_source': 'no live migration',
        'post_live_migration_at_destination': 'no live migration',
        'check_instance_shared_storage_local': 'container file systems '
                                               'are never shared storage',
        'check_instance_shared_storage_remote': 'container file systems '
                                                'are never shared storage',
        'cleanup_live_migration_destination_check': 'no live migration',
    }

    capabilities = dict(
        driver.ComputeDriver.capabilities,
        has_imagecache=True,
        supports_evacuate=False,
        supports_attach_interface=True,
        supports_multiattach=False,
        # Snapshots are uploaded as raw, container_format=docker images;
        # the scheduler's image type filter needs to know we take them.
        supports_image_type_raw=True,
    )

    def __init__(self, virtapi, read_only=False):
        super().__init__(virtapi)
        self._engine = client.Engine()
        self._images = images.ImageStore(self._engine)
        self._vifs = vifs.VIFPlugger()
        self._host = None
        self._ncpu = None
        self._events = None

    # -- host -----------------------------------------------------------

    def init_host(self, host):
        self._host = host
        try:
            self._engine.ping()
        except Exception as exc:
            raise exception.HypervisorUnavailable(
                host='%s (Docker engine at %s: %s)' % (
                    host, CONF.docker.api_url, exc))
        if self._events is None:
            self._events = events.EventWatcher(
                self._engine, self.emit_event, metadata.is_suspended)
            self._events.start()

    def cleanup_host(self, host):
        if self._events is not None:
            self._events.stop()
            self._events = None

    def get_available_nodes(self, refresh=False):
        return [self._host or CONF.host]

    def get_host_ip_addr(self):
        return CONF.my_ip

    def get_host_uptime(self):
        return hostinfo.uptime()

    def get_host_cpu_stats(self):
        return hostinfo.cpu_stats()

    def _engine_info(self):
        info = self._engine.client.info()
        self._ncpu = info.get('NCPU')
        return info

    def _host_cpus(self):
        if not self._ncpu:
            self._engine_info()
        return self._ncpu

    def _hypervisor_version(self):
        return hostinfo.version_number(
            self._engine.client.version().get('Version', '0'))

    def get_available_resource(self, nodename):
        return hostinfo.resources(self._engine_info(), nodename,
                                  self._hypervisor_version())

    def update_provider_tree(self, provider_tree, nodename, allocations=None):
        res = self.get_available_resource(nodename)
        ratios = self._get_allocation_ratios(
            provider_tree.data(nodename).inventory)
        inventory = {}
        for rc, total, reserved in (
                (orc.VCPU, res['vcpus'], CONF.reserved_host_cpus),
                (orc.MEMORY_MB, res['memory_mb'],
                 CONF.reserved_host_memory_mb),
                (orc.DISK_GB, res['local_gb'],
                 self._get_reserved_host_disk_gb_from_config())):
            if total <= 0:
                continue
            inventory[rc] = {
                'total': total, 'min_unit': 1, 'max_unit': total,
                'step_size': 1, 'allocation_ratio': ratios[rc],
                'reserved': reserved,
            }
        provider_tree.update_inventory(nodename, inventory)

    # -- instances ------------------------------------------------------

    def _container(self, instance):
        container = self._engine.find(instance.uuid)
        if container is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return container

    def list_instances(self):
        return [c.attrs['Labels'].get(client.LABEL_NAME)
                for c in self._engine.own_containers()]

    def list_instance_uuids(self):
        return [c.attrs['Labels'].get(client.LABEL_UUID)
                for c in self._engine.own_containers()]

    def instance_exists(self, instance):
        return self._engine.find(instance.uuid) is not None

    def get_info(self, instance, use_cache=True):
        container = self._container(instance)
        state = POWER_STATES.get(container.status, power_state.NOSTATE)
        if (state == power_state.PAUSED and
                metadata.is_suspended(instance.uuid)):
            state = power_state.SUSPENDED
        return hardware.InstanceInfo(state=state)

    def _create_kwargs(self, instance, image_meta, mount, network_info):
        flavor = instance.flavor
        kwargs = {
            'name': client.container_name(instance.uuid),
            'hostname': (instance.hostname or instance.name)[:63],
            'labels': {client.LABEL_UUID: instance.uuid,
                       client.LABEL_NAME: instance.name,
                       client.LABEL_HOST: CONF.host},
            'environment': {'NOVA_INSTANCE_UUID': instance.uuid,
                            'NOVA_INSTANCE_NAME': instance.display_name or
                            instance.name},
            # Ports are plugged by vifs.py, never by Docker's own networks.
            'network_mode': 'none',
            'privileged': CONF.docker.privileged,
            'init': CONF.docker.init,
            'tty': CONF.docker.interactive,
            'stdin_open': CONF.docker.interactive,
            'volumes': {mount: {'bind': CONF.docker.metadata_mount_point,
                                'mode': 'ro'}},
            'detach': True,
        }
        command = image_meta.properties.get('os_command_line')
        if command:
            kwargs['command'] = command
        dns = [ip['address'] for vif in network_info or []
               for subnet in vif['network']['subnets']
               for ip in subnet.get('dns') or []]
        if dns:
            kwargs['dns'] = dns
        memory = flavor.memory_mb * 1024 * 1024
        if CONF.docker.memory_policy == 'hard':
            kwargs['mem_limit'] = memory
        elif CONF.docker.memory_policy == 'soft':
            kwargs['mem_reservation'] = memory
        if CONF.docker.cpu_policy == 'quota':
            # The engine refuses a quota above the CPUs it has; a flavor
            # that big gets the whole host.
            vcpus = min(flavor.vcpus, self._host_cpus())
            kwargs['nano_cpus'] = vcpus * 1000000000
        elif CONF.docker.cpu_policy == 'shares':
            kwargs['cpu_shares'] = flavor.vcpus * 1024
        if nested.check_allowed(instance):
            extra = nested.create_kwargs(instance)
            kwargs['volumes'].update(extra.pop('volumes'))
            kwargs.update(extra)
        return kwargs

    def spawn(self, context, instance, image_meta, injected_files,
              admin_password, allocations, network_info=None,
              block_device_info=None, power_on=True, accel_info=None):
        if driver.block_device_info_get_mapping(block_device_info):
            raise exception.InstanceDeployFailure(
                reason='the Docker driver cannot attach volumes',
                instance_id=instance.uuid)
        # Refuse a forbidden flavor before downloading anything.
        nested_engine = nested.check_allowed(instance)
        tag = self._images.ensure(context, instance, image_meta)
        try:
            mount = metadata.write(instance, network_info, injected_files)
            kwargs = self._create_kwargs(instance, image_meta, mount,
                                         network_info)
            if nested_engine:
                nested.create_volume(self._engine, instance)
            container = self._engine.client.containers.create(tag, **kwargs)
            if power_on:
                self._start(instance, container, network_info,
                            wait_for_ports=True)
        except Exception:
            with excutils.save_and_reraise_exception():
                LOG.error('Failed to spawn the container', instance=instance)
                self._remove(instance, network_info, destroy_files=True)
        LOG.info('Container %s created', kwargs['name'], instance=instance)

    def _neutron_events(self, network_info):
        return [('network-vif-plugged', vif['id'])
                for vif in network_info or []
                if vif.get('active', True) is False]

    def _neutron_failed_callback(self, event_name, instance):
        LOG.error('Neutron reported failure on event %s', event_name,
                  instance=instance)
        if CONF.vif_plugging_is_fatal:
            raise exception.VirtualInterfaceCreateException()

    def _start(self, instance, container, network_info,
               wait_for_ports=False):
        """Start a container and plug its ports into the new namespace."""
        timeout = CONF.vif_plugging_timeout
        events = self._neutron_events(network_info) if (
            wait_for_ports and timeout) else []
        try:
            with self.virtapi.wait_for_instance_event(
                    instance, events, timeout=timeout,
                    error_callback=self._neutron_failed_callback):
                container.start()
                if network_info:
                    self._plug_started(instance, container, network_info)
        except exception.InstanceEventTimeout:
            if CONF.vif_plugging_is_fatal:
                raise exception.VirtualInterfaceCreateException()
            LOG.warning('Timed out waiting for Neutron to report the ports '
                        'plugged; continuing', instance=instance)

    def _plug_started(self, instance, container, network_info):
        pid = self._wait_for_pid(instance, container)
        try:
            self._vifs.plug_all(instance, network_info, pid)
        except Exception as exc:
            container.reload()
            if container.status == 'running':
                raise
            # The namespace went away with the process while its ports
            # were being plugged: say why, not which command failed.
            raise exception.InstanceDeployFailure(
                reason=_ENDED % container.status,
                instance_id=instance.uuid) from exc

    def _wait_for_pid(self, instance, container):
        deadline = time.monotonic() + CONF.docker.netns_wait_timeout
        while True:
            container.reload()
            pid = container.attrs['State'].get('Pid') or 0
            if pid > 0:
                return pid
            if container.status not in ('created', 'running', 'restarting'):
                raise exception.InstanceDeployFailure(
                    reason=_ENDED % container.status,
                    instance_id=instance.uuid)
            if time.monotonic() > deadline:
                raise exception.InstanceDeployFailure(
                    reason='the container has no process after %ss' %
                           CONF.docker.netns_wait_timeout,
                    instance_id=instance.uuid)
            time.sleep(0.1)

    def _stop(self, container, timeout):
        if container.status == 'paused':
            # A frozen process cannot handle SIGTERM.
            container.unpause()
        container.stop(timeout=timeout)

    def _remove(self, instance, network_info, destroy_files):
        container = self._engine.find(instance.uuid)
        if container is not None:
            container.remove(force=True)
        else:
            LOG.warning('Container to destroy not found', instance=instance)
        self._vifs.unplug_all(instance, network_info, ignore_errors=True,
                              plugged=container is not None)
        if destroy_files:
            metadata.remove(instance)
            nested.remove_volume(self._engine, instance.uuid)

    def destroy(self, context, instance, network_info, block_device_info=None,
                destroy_disks=True, destroy_secrets=True):
        self._remove(instance, network_info, destroy_files=destroy_disks)

    def cleanup(self, context, instance, network_info, block_device_info=None,
                destroy_disks=True, migrate_data=None, destroy_vifs=True,
                destroy_secrets=True):
        if destroy_vifs:
            self._vifs.unplug_all(instance, network_info, ignore_errors=True)
        if destroy_disks:
            metadata.remove(instance)
            self._remove_unused_volume(instance)

    def delete_instance_files(self, instance):
        metadata.remove(instance)
        self._remove_unused_volume(instance)
        return True

    def _remove_unused_volume(self, instance):
        # The nested engine's volume is the instance's disk; it goes once
        # no container of the instance uses it.
        if self._engine.find(instance.uuid) is None:
            nested.remove_volume(self._engine, instance.uuid)

    def instance_on_disk(self, instance):
        # Container layers are in the local engine, never shared storage.
        return False

    # -- power ----------------------------------------------------------

    def reboot(self, context, instance, network_info, reboot_type,
               block_device_info=None, bad_volumes_callback=None,
               accel_info=None, share_info=None):
        container = self._container(instance)
        timeout = CONF.docker.stop_timeout if reboot_type == 'SOFT' else 0
        self._stop(container, timeout)
        metadata.clear_suspended(instance.uuid)
        self._start(instance, container, network_info)

    def power_off(self, instance, timeout=0, retry_interval=0):
        # Docker sends SIGTERM and SIGKILLs after `timeout` seconds: that is
        # Nova's clean shutdown with its shutdown_timeout; 0 is a hard stop.
        container = self._container(instance)
        self._stop(container, timeout)
        metadata.clear_suspended(instance.uuid)

    def _ensure_running(self, instance, network_info):
        container = self._container(instance)
        if container.status == 'paused':
            container.unpause()
            metadata.clear_suspended(instance.uuid)
        elif container.status != 'running':
            self._start(instance, container, network_info)

    def power_on(self, context, instance, network_info,
                 block_device_info=None, accel_info=None, share_info=None):
        self._ensure_running(instance, network_info)

    def pause(self, instance):
        container = self._container(instance)
        if container.status != 'paused':
            container.pause()

    def unpause(self, instance):
        container = self._container(instance)
        if container.status == 'paused':
            container.unpause()

    def suspend(self, context, instance):
        # Docker has no suspend to disk: the cgroup freezer keeps the
        # processes and their memory, which is what the guest sees on resume.
        # Marked first, so that the engine's pause event already reads as
        # a suspend.
        metadata.mark_suspended(instance.uuid)
        try:
            self.pause(instance)
        except Exception:
            with excutils.save_and_reraise_exception():
                metadata.clear_suspended(instance.uuid)

    def resume(self, context, instance, network_info,
               block_device_info=None, share_info=None):
        self.unpause(instance)
        metadata.clear_suspended(instance.uuid)

    def soft_delete(self, instance):
        self._stop(self._container(instance), CONF.docker.stop_timeout)

    def restore(self, instance):
        # restore() gets no network_info; the ports are in Nova's cache.
        self._ensure_running(instance, _cached_network_info(instance))

    def resume_state_on_host_boot(self, context, instance, network_info,
                                  share_info, block_device_info=None):
        """After a host or engine restart, bring the container back up."""
        self._ensure_running(instance, network_info)

    def poll_rebooting_instances(self, timeout, instances):
        # reboot() returns only once the container runs again, so no
        # instance can be stuck half way through a reboot.
        pass

    # -- networking -----------------------------------------------------

    def _running_pid(self, instance):
        container = self._engine.find(instance.uuid)
        if container is None or container.status not in ('running',
                                                         'paused'):
            return None
        return container.attrs['State']['Pid']

    def plug_vifs(self, instance, network_info):
        """Make sure a running container has every port plugged.

        Nova calls this when the compute service starts; ports whose host
        device is missing (the engine restarted the container) are plugged
        again, the others are left as they are.
        """
        pid = self._running_pid(instance)
        if pid is None:
            return
        for vif in network_info or []:
            if not vifs.host_dev_exists(vif):
                self._vifs.attach(instance, vif, pid)

    def unplug_vifs(self, instance, network_info):
        self._vifs.unplug_all(instance, network_info)

    def attach_interface(self, context, instance, image_meta, vif):
        pid = self._running_pid(instance)
        if pid is None:
            # A stopped container gets the port with the others on start.
            return
        try:
            self._vifs.attach(instance, vif, pid)
        except Exception as exc:
            LOG.error('Failed to attach port %s', vif['id'],
                      instance=instance, exc_info=True)
            raise exception.InterfaceAttachFailed(
                instance_uuid=instance.uuid) from exc

    def detach_interface(self, context, instance, vif):
        try:
            self._vifs.unplug(instance, vif)
        except Exception as exc:
            raise exception.InterfaceDetachFailed(
                instance_uuid=instance.uuid) from exc

    # -- images, console, diagnostics ------------------------------------

    def cache_image(self, context, image_id):
        """Load an image ahead of boots (the image pre-caching API)."""
        return self._images.cache(context, image_id)

    def manage_image_cache(self, context, all_instances):
        """Remove images no instance on this host uses any more."""
        if not CONF.image_cache.remove_unused_base_images:
            return
        self._images.prune(
            {instance.image_ref for instance in all_instances},
            CONF.image_cache.remove_unused_original_minimum_age_seconds)

    def get_all_volume_usage(self, context, compute_host_bdms):
        # No volumes are ever attached to a container.
        return []

    def snapshot(self, context, instance, image_id, update_task_state):
        container = self._engine.find(instance.uuid)
        if container is None:
            raise exception.InstanceNotRunning(instance_id=instance.uuid)
        self._images.snapshot(context, container, image_id,
                              update_task_state)

    def get_console_output(self, context, instance):
        container = self._container(instance)
        data = container.logs(stdout=True, stderr=True, tail=1000)
        return data.decode('utf-8', 'replace')

    def _stats(self, container):
        if container.status != 'running':
            return {}
        return container.stats(stream=False, one_shot=True)

    def get_diagnostics(self, instance):
        container = self._container(instance)
        stats = self._stats(container)
        memory = stats.get('memory_stats') or {}
        cpu = (stats.get('cpu_stats') or {}).get('cpu_usage') or {}
        return {
            'state': container.status,
            'memory': memory.get('usage', 0),
            'memory-limit': memory.get('limit', 0),
            'cpu_time_ns': cpu.get('total_usage', 0),
            'pids': (stats.get('pids_stats') or {}).get('current', 0),
        }

    def get_instance_diagnostics(self, instance):
        container = self._container(instance)
        stats = self._stats(container)
        state = self.get_info(instance).state
        started = container.attrs['State'].get('StartedAt')
        uptime = None
        if container.status == 'running' and started:
            uptime = int((timeutils.utcnow(with_timezone=True) -
                          timeutils.parse_isotime(started)).total_seconds())
        diags = diagnostics_obj.Diagnostics(
            state=power_state.STATE_MAP[state],
            hypervisor=obj_fields.HVType.DOCKER,
            hypervisor_os='linux',
            uptime=uptime,
            config_drive=False)
        memory = stats.get('memory_stats') or {}
        diags.memory_details = diagnostics_obj.MemoryDiagnostics(
            maximum=memory.get('limit', 0) // 1024 // 1024,
            used=memory.get('usage', 0) // 1024 // 1024)
        cpu = (stats.get('cpu_stats') or {}).get('cpu_usage') or {}
        for index, used in enumerate(cpu.get('percpu_usage') or []):
            diags.add_cpu(id=index, time=used)
        for vif in _cached_network_info(instance):
            diags.add_nic(mac_address=vif['address'])
        return diags


def _cached_network_info(instance):
    """The ports Nova has cached for an instance, for calls without them."""
    try:
        return instance.get_network_info() or []
    except Exception:
        LOG.debug('No cached network info', instance=instance)
        return []
