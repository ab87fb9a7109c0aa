/*
 * render_report.c -- `kbgen report`: the incident report as HTML (the
 * report.mustache template: self-contained, inline CSS, no request leaves
 * the page), JSON (the DESIGN.md contract) or text (report.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "mustache.h"
#include "site.h"
#include "report.h"
#include "cmd.h"

const char usage_report[] =
"usage: kbgen report [--db FILE] NAME [--format html|json|text] [-o FILE]\n"
"                    [--lang LOCALE] [--redact] [--site-root URL]\n"
"                    [--templates DIR]\n"
"\n"
"Matches incident NAME against the knowledge base and writes its report:\n"
"the hosts and what was collected from each (coverage), the findings\n"
"ranked (the article section holding the fix, a confidence in [0,1], why:\n"
"the signals that agreed, and the evidence lines with host, file, line\n"
"and UTC and local time), a timeline of errors per host, and the errors\n"
"and warnings no finding explains, clustered into templates.\n"
"\n"
"  --format F       html (default with -o FILE.html), json (the contract of\n"
"                   DESIGN.md), or text (default on a terminal)\n"
"  -o FILE          write to FILE instead of standard output\n"
"  --lang LOCALE    the fix text in this language (zh-cn, de-de, ...);\n"
"                   English when the article has no such translation, and\n"
"                   the report says so\n"
"  --redact         replace host names, FQDNs, IP addresses, user names\n"
"                   and SIDs, consistently across the whole report\n"
"  --site-root URL  where the site is, for links to article and code pages\n"
"                   (default: site/ next to the report, as `kbgen build`)\n"
"  --templates DIR  templates overriding the built-in report.mustache,\n"
"                   report-body.mustache, report-style.mustache\n";

int
report_html(const struct mu_value *rep, const char *templates,
    struct buf *out)
{
	struct site_tmpl *t = site_tmpl_open(templates);
	int rc;

	if (t == NULL)
		return -1;
	rc = site_tmpl_render(t, "report", rep, out);
	site_tmpl_free(t);
	return rc;
}

int
cmd_report(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "lang", required_argument, NULL, 'l' },
		{ "redact", no_argument, NULL, 'r' },
		{ "site-root", required_argument, NULL, 's' },
		{ "templates", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = NULL, *outpath = NULL, *templates = NULL;
	struct report_opts o = { NULL, 0, "site/", NULL };
	struct mu_value *rep;
	struct buf out = {0};
	char *lang = NULL;
	int ch, rc = EXIT_OK;

	while ((ch = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			format = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'l': {
			char *p;
			free(lang);
			lang = xstrdup(optarg);
			for (p = lang; *p; p++)
				*p = *p == '_' ? '-' :
				    (char)kb_tolower((unsigned char)*p);
			break;
		}
		case 'r':
			o.redact = 1;
			break;
		case 's':
			o.root = optarg;
			break;
		case 't':
			templates = optarg;
			break;
		default:
			free(lang);
			return usage_error(c->usage, "%s", "bad option");
		}
	}
	o.lang = lang;
	if (optind + 1 != argc) {
		free(lang);
		return usage_error(c->usage, "%s", optind < argc ?
		    "one incident NAME, please" : "missing incident NAME");
	}
	if (format == NULL)
		format = outpath && (str_ends_ci(outpath, ".json")) ? "json" :
		    outpath && !str_ends_ci(outpath, ".txt") ? "html" : "text";
	if (strcmp(format, "html") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "text") != 0) {
		free(lang);
		return usage_error(c->usage, "unknown --format '%s'", format);
	}
	if ((rep = report_build(ctx_db(c, 1), argv[optind], &o)) == NULL) {
		free(lang);
		return EXIT_INPUT;
	}
	if (strcmp(format, "json") == 0)
		report_json(rep, &out);
	else if (strcmp(format, "text") == 0)
		report_text(rep, &out);
	else if (report_html(rep, templates, &out) == -1)
		rc = EXIT_INPUT;
	mu_free(rep);
	free(lang);
	if (rc == EXIT_OK && write_output(outpath, buf_str(&out), out.len) == -1)
		rc = EXIT_INPUT;
	buf_free(&out);
	return rc;
}
