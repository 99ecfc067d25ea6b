/**
 * Directories as one unit: the tree manifest (canonical listing, id, path rules), sharing a
 * directory, and fetching one file by file through the download engine.
 */
@NullMarked
package io.swarmshare.internal.tree;

import org.jspecify.annotations.NullMarked;
