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

# DevStack plugin of magnum-lite: enable_plugin magnum-lite <repository>.
# DevStack sources this file once per phase with the mode and phase as
# arguments; see README.rst for what each phase does.

# Keep the caller's xtrace setting; trace this plugin.
_XTRACE_MAGNUM_LITE=$(set +o | grep xtrace)
set -o xtrace

# shellcheck source=devstack/lib/magnum_lite
source "$(dirname "${BASH_SOURCE[0]}")/lib/magnum_lite"

if is_magnum_lite_enabled; then
    case "${1:-}/${2:-}" in
        stack/install)
            echo_summary "Installing magnum-lite"
            install_magnum_lite
            ;;
        stack/post-config)
            echo_summary "Configuring magnum-lite"
            configure_magnum_lite
            create_magnum_lite_accounts
            ;;
        stack/extra)
            echo_summary "Initializing and starting magnum-lite"
            init_magnum_lite
            magnum_lite_register_image
            start_magnum_lite
            ;;
        unstack/*)
            stop_magnum_lite
            ;;
        clean/*)
            cleanup_magnum_lite
            ;;
    esac
fi

$_XTRACE_MAGNUM_LITE
