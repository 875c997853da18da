// Apache POI (HSSF) as an independent reader for the interop checks: for every `.xls` path
// given, writes PATH.poi.tsv with one line per non-empty cell of every sheet
//     sheet-name TAB row TAB column TAB type TAB value
// (0-based; type s = text, n = number, b = boolean, e = error; a formula cell gives its cached
// result's type and value; tabs, newlines and backslashes in values escaped as \t \n \\), or
// PATH.poi.err with the exception if POI refuses the file. Built and run by tests/interop/check.py.
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;

public class PoiDump {
    public static void main(String[] args) throws Exception {
        for (String path : args) {
            File tsv = new File(path + ".poi.tsv");
            File err = new File(path + ".poi.err");
            tsv.delete();
            err.delete();
            try (InputStream in = new FileInputStream(path);
                 HSSFWorkbook book = new HSSFWorkbook(in)) {
                StringBuilder out = new StringBuilder();
                for (int s = 0; s < book.getNumberOfSheets(); s++) {
                    dumpSheet(book.getSheetAt(s), book.getSheetName(s), out);
                }
                Files.write(tsv.toPath(), out.toString().getBytes(StandardCharsets.UTF_8));
            } catch (Throwable e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                Files.write(err.toPath(), trace.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    static void dumpSheet(Sheet sheet, String name, StringBuilder out) {
        for (Row row : sheet) {
            for (Cell cell : row) {
                CellType type = cell.getCellType();
                boolean formula = type == CellType.FORMULA;
                if (formula) {
                    type = cell.getCachedFormulaResultType();
                }
                String t;
                String v;
                switch (type) {
                    case STRING:
                        t = "s";
                        v = cell.getRichStringCellValue().getString();
                        if (v.isEmpty()) {
                            if (!formula) {
                                continue;
                            }
                            // A formula that shows nothing is still a cell: "f", so that a
                            // cleared formula left in the file is seen.
                            t = "f";
                        }
                        break;
                    case NUMERIC:
                        t = "n";
                        v = Double.toString(cell.getNumericCellValue());
                        break;
                    case BOOLEAN:
                        t = "b";
                        v = cell.getBooleanCellValue() ? "1" : "0";
                        break;
                    case ERROR:
                        t = "e";
                        v = Byte.toString(cell.getErrorCellValue());
                        break;
                    default:
                        continue;
                }
                out.append(escape(name)).append('\t').append(row.getRowNum()).append('\t')
                    .append(cell.getColumnIndex()).append('\t').append(t).append('\t')
                    .append(escape(v)).append('\n');
            }
        }
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
