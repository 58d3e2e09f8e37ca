package org.scimgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void quotesCellsWithSeparatorsQuotesAndLineBreaks() {
        assertThat(Csv.cell("plain@acme.com")).isEqualTo("plain@acme.com");
        assertThat(Csv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.cell(null)).isEmpty();
    }

    @Test
    void defusesCellsASpreadsheetWouldRunAsAFormula() {
        assertThat(Csv.cell("=HYPERLINK(\"http://evil\",\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
        assertThat(Csv.cell("+1")).isEqualTo("'+1");
        assertThat(Csv.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Csv.cell("\tcmd")).isEqualTo("'\tcmd");
        assertThat(Csv.cell("\rcmd")).isEqualTo("\"'\rcmd\"");
        assertThat(Csv.cell("a=b")).isEqualTo("a=b");
        // Spreadsheets trim leading white space before they look for a formula.
        assertThat(Csv.cell(" =1+1")).isEqualTo("' =1+1");
        assertThat(Csv.cell("\u00a0=HYPERLINK(\"x\")")).isEqualTo("\"'\u00a0=HYPERLINK(\"\"x\"\")\"");
        assertThat(Csv.cell("|calc")).isEqualTo("'|calc");
        assertThat(Csv.cell("%0A")).isEqualTo("'%0A");
        assertThat(Csv.cell("   ")).isEqualTo("   ");
    }

    @Test
    void endsEachRowWithCrLf() {
        assertThat(Csv.row("a", "b,c", null)).isEqualTo("a,\"b,c\",\r\n");
    }
}
