/** Building manifests from files: parallel chunk hashing beside the whole-file hash. */
@NullMarked
package io.swarmshare.internal.manifest;

import org.jspecify.annotations.NullMarked;
