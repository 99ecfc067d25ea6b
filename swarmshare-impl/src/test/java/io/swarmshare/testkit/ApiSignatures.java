package io.swarmshare.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a module as sorted text, one line per type and per member, and a check of it
 * against a committed file: the build's guard against changing the API by accident.
 *
 * <p>A type is listed if it is public (or a public or protected member type of a listed type) in
 * an exported package; a member if it is public or protected and declared by a listed type.
 * Members use {@link Method#toGenericString()} and friends, so a line names the declaring type,
 * generic types and checked exceptions. Each line is unique, so a change shows as lines removed
 * and added.
 */
public final class ApiSignatures {
  /** Set to 1 to rewrite the committed files instead of comparing with them. */
  public static final String UPDATE_ENV = "SWARMSHARE_UPDATE_API";

  private ApiSignatures() {}

  /**
   * Renders the packages a named module exports to everybody, reading its {@code module-info}
   * from the class-path root that holds {@code anyClass}.
   */
  public static String ofModule(Class<?> anyClass) {
    Path root = root(anyClass);
    return withRoot(root, r -> {
      ModuleDescriptor module;
      try (InputStream in = Files.newInputStream(r.resolve("module-info.class"))) {
        module = ModuleDescriptor.read(in);
      }
      List<String> packages = module.exports().stream()
          .filter(e -> !e.isQualified())
          .map(ModuleDescriptor.Exports::source)
          .sorted()
          .toList();
      return "module " + module.name() + " exports " + String.join(", ", packages) + "\n"
          + render(r, packages, anyClass.getClassLoader());
    });
  }

  /**
   * Renders every package of the class-path root that holds {@code anyClass}: an automatic
   * module (a jar without {@code module-info}) exports all of them.
   */
  public static String ofAutomaticModule(Class<?> anyClass) {
    return withRoot(root(anyClass), r -> {
      SortedSet<String> packages = new TreeSet<>();
      try (Stream<Path> files = Files.walk(r)) {
        files.filter(p -> p.getFileName() != null && p.getFileName().toString().endsWith(".class"))
            .map(p -> r.relativize(p.getParent()).toString().replace('/', '.'))
            .filter(p -> !p.isEmpty() && !p.startsWith("META-INF"))
            .forEach(packages::add);
      }
      return "automatic module exports " + String.join(", ", packages) + "\n"
          + render(r, packages, anyClass.getClassLoader());
    });
  }


  /**
   * Compares {@code actual} with the committed file and fails with the lines removed and added,
   * or, with {@value #UPDATE_ENV}=1 in the environment, writes it.
   */
  public static void check(String actual, Path committed) {
    try {
      if ("1".equals(System.getenv(UPDATE_ENV))) {
        Files.writeString(committed, actual, StandardCharsets.UTF_8);
        System.err.println("ApiSignatures: wrote " + committed.toAbsolutePath().normalize());
        return;
      }
      String expected = Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";
      if (expected.equals(actual)) {
        return;
      }
      List<String> was = expected.lines().toList();
      List<String> now = actual.lines().toList();
      StringBuilder diff = new StringBuilder();
      was.stream().filter(l -> !now.contains(l)).forEach(l -> diff.append("- ").append(l).append('\n'));
      now.stream().filter(l -> !was.contains(l)).forEach(l -> diff.append("+ ").append(l).append('\n'));
      throw new AssertionError("The public API differs from " + committed.normalize()
          + (Files.exists(committed) ? "" : " (missing)") + ":\n" + diff
          + "If the change is meant, update that file in the same commit and say why in CHANGELOG.md:\n"
          + "  " + UPDATE_ENV + "=1 bin/test -pl swarmshare-impl,swarmshare-redis -am -Dtest='PublicApiTest'"
          + " -Dsurefire.failIfNoSpecifiedTests=false\n"
          + "(See docs/API.md, 'The guard'.)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String render(Path root, Collection<String> packages, ClassLoader loader) throws IOException {
    StringBuilder out = new StringBuilder();
    for (String pkg : packages) {
      Path dir = root.resolve(pkg.replace('.', '/'));
      List<String> names;
      try (Stream<Path> files = Files.list(dir)) {
        names = files.map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
            .map(n -> pkg + "." + n.substring(0, n.length() - ".class".length()))
            .sorted()
            .toList();
      }
      for (String name : names) {
        Class<?> type;
        try {
          type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException("listed but not loadable: " + name, e);
        }
        if (Modifier.isPublic(type.getModifiers())) {
          renderType(type, out);
        }
      }
    }
    return out.toString();
  }

  private static void renderType(Class<?> type, StringBuilder out) {
    out.append(header(type)).append('\n');
    SortedSet<String> members = new TreeSet<>();
    for (Field f : type.getDeclaredFields()) {
      if (visible(f) && !f.isSynthetic()) {
        members.add(f.toGenericString());
      }
    }
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (visible(c) && !c.isSynthetic()) {
        members.add(c.toGenericString());
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
        members.add(m.toGenericString());
      }
    }
    members.forEach(m -> out.append("  ").append(m).append('\n'));
    Arrays.stream(type.getDeclaredClasses())
        .filter(c -> visible(c.getModifiers()))
        .sorted((a, b) -> a.getName().compareTo(b.getName()))
        .forEach(c -> renderType(c, out));
  }

  /**
   * The type's own line, written out here rather than by {@link Class#toGenericString()}, whose
   * wording (sealed, for one) differs between JDKs that can build this project.
   */
  private static String header(Class<?> type) {
    int mods = type.getModifiers() & (type.isInterface() ? Modifier.interfaceModifiers() : Modifier.classModifiers());
    String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
        : type.isRecord() ? "record" : "class";
    if (type.isInterface()) {
      mods &= ~Modifier.ABSTRACT;
    }
    if (type.isEnum() || type.isRecord()) {
      mods &= ~(Modifier.FINAL | Modifier.STATIC);
    }
    StringBuilder s = new StringBuilder(Modifier.toString(mods));
    if (type.isSealed()) {
      s.append(" sealed");
    }
    s.append(' ').append(kind).append(' ').append(type.getName());
    TypeVariable<?>[] params = type.getTypeParameters();
    if (params.length > 0) {
      s.append(Arrays.stream(params).map(ApiSignatures::typeVariable).collect(Collectors.joining(",", "<", ">")));
    }
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && !type.isEnum() && !type.isRecord() && superclass != Object.class) {
      s.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0) {
      s.append(type.isInterface() ? " extends " : " implements ")
          .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    if (type.isSealed()) {
      Set<String> permitted = new LinkedHashSet<>();
      Arrays.stream(type.getPermittedSubclasses()).map(Class::getName).sorted().forEach(permitted::add);
      s.append(" permits ").append(String.join(", ", permitted));
    }
    return s.toString().strip();
  }

  private static String typeVariable(TypeVariable<?> v) {
    List<String> bounds = new ArrayList<>();
    for (Type b : v.getBounds()) {
      if (b != Object.class) {
        bounds.add(b.getTypeName());
      }
    }
    return bounds.isEmpty() ? v.getName() : v.getName() + " extends " + String.join(" & ", bounds);
  }

  private static boolean visible(Member m) {
    return visible(m.getModifiers());
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static Path root(Class<?> anyClass) {
    try {
      return Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface RootReader {
    String read(Path root) throws IOException;
  }

  /** Reads a class-path root that is a directory (target/classes) or a jar (a reactor build after package). */
  private static String withRoot(Path root, RootReader reader) {
    try {
      if (Files.isDirectory(root)) {
        return reader.read(root);
      }
      try (FileSystem jar = FileSystems.newFileSystem(root)) {
        return reader.read(jar.getPath("/"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
