package io.swarmshare.internal.tree;

import io.swarmshare.api.TreeId;

/**
 * How a tree is found at a tracker. A tree's listing travels as a small file of its own, so
 * every tracker (an older one, the Redis store) keeps it with the limits and quotas of any file;
 * what marks it as a listing is the name it is registered under, which ends in {@code /} (no
 * file name can): the tree's name, {@code NAME/}, and its id, {@code HEX/}, so both a name and
 * an id find it by search.
 */
public final class TreeNames {
  private TreeNames() {}

  /** The name a listing is registered under for a tree called {@code name}. */
  public static String listing(String name) {
    return name + "/";
  }

  /** The name a listing is registered under for a tree with this id. */
  public static String alias(TreeId id) {
    return id.hex() + "/";
  }

  /** True if a search result of this name is a tree's listing (as {@link io.swarmshare.api.FileEntry#isTree()}). */
  public static boolean isTree(String registeredName) {
    return registeredName.length() > 1 && registeredName.endsWith("/");
  }

  /** True if this registered name is a tree's id rather than its name. */
  public static boolean isAlias(String registeredName) {
    return registeredName.length() == 65 && registeredName.endsWith("/")
        && io.swarmshare.api.FileId.isValid(registeredName.substring(0, 64));
  }

  /** The tree's name from a listing's registered name. */
  public static String treeName(String registeredName) {
    return registeredName.substring(0, registeredName.length() - 1);
  }
}
