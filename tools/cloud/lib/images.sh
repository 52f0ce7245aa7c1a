#!/bin/bash
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
#
# The cloud's first Glance image, "busybox": a root filesystem made
# offline from Debian's busybox-static, imported into Docker and saved as
# the "docker save" tarball nova_docker_driver boots
# (container_format=docker).

IMAGES_DIR=$DATA_DIR/images
BUSYBOX_DOCKER_TAG=cloud-images/busybox:latest

# images_build_busybox: the Docker image and its tarball, once.
images_build_busybox() {
    local tarball=$IMAGES_DIR/busybox.tar root applet
    [ -s "$tarball" ] && return 0
    mkdir -p "$IMAGES_DIR"
    if ! docker image inspect "$BUSYBOX_DOCKER_TAG" >/dev/null 2>&1; then
        log "building $BUSYBOX_DOCKER_TAG from /bin/busybox"
        root=$(mktemp -d)
        mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
        cp /bin/busybox "$root/bin/busybox"
        for applet in $("$root/bin/busybox" --list); do
            [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
        done
        echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
        echo 'root:x:0:' >"$root/etc/group"
        # The first line of the console log says the instance came up;
        # the shell then keeps it running (the driver gives it a terminal).
        tar -C "$root" -c . | docker import \
            --change 'ENV PATH=/bin' \
            --change 'CMD ["/bin/sh", "-c", "echo \"busybox booted: $(hostname)\"; exec /bin/sh"]' \
            - "$BUSYBOX_DOCKER_TAG" >/dev/null
        rm -rf "$root"
    fi
    docker save "$BUSYBOX_DOCKER_TAG" >"$tarball.new"
    mv "$tarball.new" "$tarball"
}

# images_upload: the public "busybox" Glance image, when missing.
images_upload() {
    [ -f "$IMAGES_DIR/busybox.uploaded" ] && return 0
    if openstack_admin image show busybox -f value -c id >/dev/null 2>&1; then
        touch "$IMAGES_DIR/busybox.uploaded"
        return 0
    fi
    images_build_busybox
    log "uploading the busybox image to Glance"
    openstack_admin image create busybox --public --container-format docker \
        --disk-format raw --file "$IMAGES_DIR/busybox.tar" -f value -c id >/dev/null
    touch "$IMAGES_DIR/busybox.uploaded"
}
