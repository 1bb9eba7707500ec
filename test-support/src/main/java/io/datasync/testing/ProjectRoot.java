package io.datasync.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root, where the Makefile and the stack/ scripts are. */
public final class ProjectRoot {
    private ProjectRoot() {}

    public static Path get() {
        String configured = System.getProperty("project.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("stack/lib.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root (a folder with stack/lib.sh) above " + start);
    }
}
