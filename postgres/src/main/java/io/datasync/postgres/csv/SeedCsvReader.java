package io.datasync.postgres.csv;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads one seed CSV (RFC 4180: header row, quoted fields holding commas, quotes and line breaks,
 * UTF-8 with an optional byte-order mark) and hands out validated rows. Every problem is reported
 * as a {@link MalformedCsvException} naming the file and the line where the bad record starts.
 */
public final class SeedCsvReader implements Closeable {
    // Blank lines between records are tolerated (a trailing one is common); quoted fields may
    // still hold empty lines.
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    private final SeedTable table;
    private final String fileName;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private List<SeedTable.Column> columns;

    private SeedCsvReader(SeedTable table, String fileName, CSVParser parser) {
        this.table = table;
        this.fileName = fileName;
        this.parser = parser;
        this.records = parser.iterator();
    }

    public static SeedCsvReader open(Path file, SeedTable table) throws IOException, MalformedCsvException {
        // Bad bytes become a marker that FieldRules reports with the record's line; failing in the
        // decoder would point at wherever its read-ahead buffer happened to be.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(FieldRules.INVALID_UTF8);
        var in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16);
        skipByteOrderMark(in);
        SeedCsvReader reader = new SeedCsvReader(table, file.getFileName().toString(), CSVParser.builder().setReader(in).setFormat(FORMAT).get());
        try {
            reader.checkHeader();
        } catch (MalformedCsvException | RuntimeException e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    private static void skipByteOrderMark(BufferedReader in) throws IOException {
        in.mark(1);
        if (in.read() != '\uFEFF') {
            in.reset();
        }
    }

    private void checkHeader() throws MalformedCsvException {
        List<String> header = nextRecord()
                .orElseThrow(() -> new MalformedCsvException(fileName, 1, "the file is empty; expected the header " + table.columnNames()));
        List<SeedTable.Column> all = table.columns();
        int required = table.requiredColumns().size();
        // The required columns, then any leading part of the optional ones (a file from before they existed).
        if (header.size() < required || header.size() > all.size() || !header.equals(table.columnNames().subList(0, header.size()))) {
            String optional = required == all.size() ? "" : ", optionally followed by " + table.columnNames().subList(required, all.size());
            throw new MalformedCsvException(fileName, 1, "header is " + header + ", expected " + table.columnNames().subList(0, required) + optional);
        }
        columns = all.subList(0, header.size());
    }

    /** The columns this file holds, in its order: the table's required ones and the optional ones present. */
    public List<SeedTable.Column> columns() {
        return columns;
    }

    /** The next validated row, or {@code null} at the end of the file. */
    public CsvRow next() throws MalformedCsvException {
        long line = parser.getCurrentLineNumber() + 1;
        Optional<List<String>> fields = nextRecord();
        if (fields.isEmpty()) {
            return null;
        }
        List<String> raw = fields.get();
        if (raw.size() != columns.size()) {
            throw new MalformedCsvException(fileName, line, "expected " + columns.size() + " fields, found " + raw.size());
        }
        List<String> values = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            try {
                values.add(FieldRules.normalize(columns.get(i), raw.get(i)));
            } catch (IllegalArgumentException e) {
                throw new MalformedCsvException(fileName, line, e.getMessage());
            }
        }
        return new CsvRow(line, values);
    }

    private Optional<List<String>> nextRecord() throws MalformedCsvException {
        long line = parser.getCurrentLineNumber() + 1;
        try {
            if (!records.hasNext()) {
                return Optional.empty();
            }
            CSVRecord record = records.next();
            return Optional.of(record.toList());
        } catch (UncheckedIOException e) {
            throw new MalformedCsvException(fileName, line, "not valid CSV (" + e.getCause().getMessage() + ")", e);
        } catch (IllegalStateException e) {
            throw new MalformedCsvException(fileName, line, "not valid CSV (" + e.getMessage() + ")", e);
        }
    }

    public String fileName() {
        return fileName;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
