package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The missing {@code end} and parenthesis found in the text itself, without Drools. */
class DrlSyntaxTest {

    private static List<String> found(String drl) {
        return DrlSyntax.of("a.drl", new DrlText(drl)).stream().map(f -> f.problem().toString()).toList();
    }

    @Test
    void findsNothingInSoundRulesWhateverTheirStringsAndCommentsHold() {
        assertThat(found("""
                package a;
                // a rule "x" then ( without end
                rule "when ( then end"
                when
                    ScimUser( userName == "then (", department != ')' ) /* ( end */
                then insert(new Violation("a", "(")); end
                rule "second"
                when
                    ScimUser( )
                then
                end
                """)).isEmpty();
    }

    @Test
    void findsALastRuleWithoutEndAtTheEndOfItsConsequence() {
        assertThat(found("""
                package a;
                rule "last"
                when
                    ScimUser( )
                then
                    insert(new Violation("a", "b"));
                // end
                """)).containsExactly("a.drl:6:37 rule \"last\": the rule has no \"end\": its consequence runs on to the end "
                + "of the file. Hint: write end on a line of its own after line 6.");
    }

    @Test
    void findsTheParenthesisLeftOpenAmongSeveralPatterns() {
        assertThat(found("""
                package a;
                rule "two patterns"
                when
                    ScimUser( department == null,
                              costCenter == null
                    ReferenceList( name == "x" )
                then
                end
                """)).singleElement().asString().startsWith("a.drl:4:13 rule \"two patterns\": this \"(\" is never closed");
    }

    @Test
    void findsAParenthesisThatClosesNothing() {
        assertThat(found("""
                package a;
                rule "extra"
                when
                    ScimUser( department == null ))
                then
                end
                """)).containsExactly("a.drl:4:35 rule \"extra\": this \")\" closes no \"(\". Hint: remove it, or add the "
                + "\"(\" it was meant to close.");
    }
}
