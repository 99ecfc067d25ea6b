/** The reference command-line tool: parses arguments, calls the public API, renders output. */
@NullMarked
package io.swarmshare.cli;

import org.jspecify.annotations.NullMarked;
