#!/usr/bin/env node
// The `startup-monitor` bin. It exists from the checkout on, so the package manager can link it at install,
// before any build; the CLI itself is dist/bin.js.
import '../dist/bin.js';
