# Loaded into every Perl snippet (PERL5OPT, the perl preset): stdout written at once, as on a
# terminal, so that it interleaves with stderr in the order a terminal shows.
package DeckLineBuffered;
select((select(STDOUT), $| = 1)[0]);
1;
