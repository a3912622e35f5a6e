/* A consumer of the C API, in C99: with no arguments it prints the list as `pyprefix list`
 * does (with `--pid PID`, as `pyprefix --pid PID` does); with `--trim FILE` it trims the paths
 * on stdin by a saved list or a manifest, as `pyprefix trim --prefixes FILE` does; with `--which` it names the paths on
 * stdin as `pyprefix which` does (with `--which FILE`, by a manifest, as `pyprefix which --prefixes
 * FILE` does); with `--manifest [PID]` it writes what `pyprefix manifest [--pid PID]` writes; with `--names`, the
 * interpreter's cache tag and extension suffixes. It also checks the error convention on a missing file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pyprefix/pyprefix.h>

/* The list of this process's Python, or with pid > 0 of that running process's. */
static int print_list(int pid) {
  pyprefix_report* report = NULL;
  pyprefix_options* options = NULL;
  size_t i;
  if (pyprefix_options_new(&options) != PYPREFIX_OK ||
      (pid > 0 && pyprefix_options_set_pid(options, pid, 0) != PYPREFIX_OK) ||
      pyprefix_report_new(options, &report) != PYPREFIX_OK) {
    fprintf(stderr, "c_consumer: %s\n", pyprefix_last_error());
    pyprefix_options_free(options);
    return 1;
  }
  pyprefix_options_free(options);
  for (i = 0; i < pyprefix_report_size(report); ++i) printf("%s\n", pyprefix_report_prefix(report, i, NULL));
  for (i = 0; i < pyprefix_report_diagnostic_count(report); ++i)
    fprintf(stderr, "pyprefix: warning: %s\n", pyprefix_report_diagnostic(report, i));
  pyprefix_report_free(report);
  return 0;
}

static int trim_lines(const char* saved) {
  pyprefix_trimmer* trimmer = NULL;
  char line[65536];
  if (pyprefix_trimmer_from_file(saved, &trimmer) != PYPREFIX_OK) {
    fprintf(stderr, "c_consumer: %s\n", pyprefix_last_error());
    return 1;
  }
  while (fgets(line, sizeof line, stdin) != NULL) {
    size_t length = strcspn(line, "\n");
    line[length] = '\0';
    printf("%s\n", line + pyprefix_trim(trimmer, line, length));
  }
  pyprefix_trimmer_free(trimmer);
  return 0;
}

static void write_to_stdout(void* context, const char* data, size_t size) {
  (void)context;
  fwrite(data, 1, size, stdout);
}

/* Standard input rewritten with a saved list (or, `to_module`, the index of a manifest too),
 * in chunks of 7 bytes so that borders fall everywhere; the warnings on stderr. */
static int rewrite_input(const char* saved, int to_module) {
  pyprefix_trimmer* trimmer = NULL;
  pyprefix_index* index = NULL;
  pyprefix_rewriter* rewriter = NULL;
  char chunk[7];
  size_t got;
  int status = 1;
  if (pyprefix_trimmer_from_file(saved, &trimmer) != PYPREFIX_OK ||
      (to_module && pyprefix_index_from_manifest(saved, &index) != PYPREFIX_OK) ||
      pyprefix_rewriter_new(trimmer, PYPREFIX_REWRITE_DETECT, index, write_to_stdout, NULL, &rewriter) != PYPREFIX_OK) {
    fprintf(stderr, "c_consumer: %s\n", pyprefix_last_error());
    goto done;
  }
  while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0)
    if (pyprefix_rewriter_write(rewriter, chunk, got) != PYPREFIX_OK) goto done;
  if (pyprefix_rewriter_finish(rewriter) != PYPREFIX_OK) goto done;
  fputs(pyprefix_rewriter_warnings(rewriter), stderr);
  status = 0;
done:
  pyprefix_rewriter_free(rewriter);
  pyprefix_index_free(index);
  pyprefix_trimmer_free(trimmer);
  return status;
}

/* The cache tag and the extension suffixes of this process's Python, a line each. */
static int print_names(void) {
  pyprefix_report* report = NULL;
  size_t i;
  if (pyprefix_report_new(NULL, &report) != PYPREFIX_OK) {
    fprintf(stderr, "c_consumer: %s\n", pyprefix_last_error());
    return 1;
  }
  printf("%s\n", pyprefix_report_interpreter(report, "cache_tag"));
  for (i = 0; pyprefix_report_extension_suffix(report, i) != NULL; ++i)
    printf("%s\n", pyprefix_report_extension_suffix(report, i));
  pyprefix_report_free(report);
  return 0;
}

/* The list of the program argv[0..count) run in `folder`, as `pyprefix --cwd FOLDER -- PROGRAM`. */
static int print_program_list(const char* folder, const char* const* program, size_t count) {
  pyprefix_options* options = NULL;
  pyprefix_report* report = NULL;
  size_t i;
  int failed = pyprefix_options_new(&options) != PYPREFIX_OK ||
               pyprefix_options_set_program(options, program, count) != PYPREFIX_OK ||
               pyprefix_options_set_working_directory(options, folder) != PYPREFIX_OK ||
               pyprefix_report_new(options, &report) != PYPREFIX_OK;
  if (failed) fprintf(stderr, "c_consumer: %s\n", pyprefix_last_error());
  for (i = 0; !failed && i < pyprefix_report_size(report); ++i) printf("%s\n", pyprefix_report_prefix(report, i, NULL));
  pyprefix_report_free(report);
  pyprefix_options_free(options);
  return failed;
}

/* The manifest of this process's Python, or with pid > 0 of that running process's. */
static int print_manifest(int pid) {
  pyprefix_options* options = NULL;
  char* json = NULL;
  int failed = pyprefix_options_new(&options) != PYPREFIX_OK ||
               (pid > 0 && pyprefix_options_set_pid(options, pid, 0) != PYPREFIX_OK) ||
               pyprefix_manifest_json(options, &json) != PYPREFIX_OK;
  if (failed) fprintf(stderr, "c_consumer: %s\n", pyprefix_last_error());
  if (!failed) fputs(json, stdout);
  pyprefix_string_free(json);
  pyprefix_options_free(options);
  return failed;
}

/* The index of running process `pid`'s report, which must be refused in one line: its files are
 * read only for its manifest. */
static int index_of_process_report(int pid) {
  pyprefix_options* options = NULL;
  pyprefix_report* report = NULL;
  pyprefix_index* index = NULL;
  int refused = 0;
  if (pyprefix_options_new(&options) != PYPREFIX_OK || pyprefix_options_set_pid(options, pid, 0) != PYPREFIX_OK ||
      pyprefix_report_new(options, &report) != PYPREFIX_OK) {
    fprintf(stderr, "c_consumer: %s\n", pyprefix_last_error());
  } else {
    refused = pyprefix_index_new(report, &index) == PYPREFIX_ERROR && index == NULL;
    printf("%s\n", refused ? pyprefix_last_error() : "not refused");
  }
  pyprefix_index_free(index);
  pyprefix_report_free(report);
  pyprefix_options_free(options);
  return !refused;
}

/* PATH: MODULE (DISTRIBUTION VERSION) for each path on stdin, "-" where there is no module; by
 * the manifest at `manifest`, or by this process's Python when it is NULL. */
static int which_lines(const char* manifest) {
  pyprefix_report* report = NULL;
  pyprefix_index* index = NULL;
  char line[65536], module[4096];
  int failed = manifest != NULL ? pyprefix_index_from_manifest(manifest, &index) != PYPREFIX_OK
                                : pyprefix_report_new(NULL, &report) != PYPREFIX_OK ||
                                      pyprefix_index_new(report, &index) != PYPREFIX_OK;
  if (failed) {
    fprintf(stderr, "c_consumer: %s\n", pyprefix_last_error());
    pyprefix_report_free(report);
    return 1;
  }
  while (fgets(line, sizeof line, stdin) != NULL) {
    size_t length = strcspn(line, "\n");
    const char* version = NULL;
    const char* owner = NULL;
    line[length] = '\0';
    printf("%s: %s", line, pyprefix_index_module(index, line, length, module, sizeof module) > 0 ? module : "-");
    owner = pyprefix_index_distribution(index, line, length, &version);
    if (owner != NULL) printf(" (%s%s%s)", owner, version != NULL ? " " : "", version != NULL ? version : "");
    printf("\n");
  }
  pyprefix_index_free(index);
  pyprefix_report_free(report);
  return 0;
}

/* A missing file is PYPREFIX_ERROR with a one-line message naming it, and no trimmer. */
static int check_errors(void) {
  pyprefix_trimmer* trimmer = (pyprefix_trimmer*)&trimmer;
  if (pyprefix_trimmer_from_file("/nonexistent/prefixes.json", &trimmer) != PYPREFIX_ERROR || trimmer != NULL ||
      strstr(pyprefix_last_error(), "/nonexistent/prefixes.json") == NULL || strchr(pyprefix_last_error(), '\n')) {
    fprintf(stderr, "c_consumer: a missing file was not refused as documented: '%s'\n", pyprefix_last_error());
    return 1;
  }
  if (pyprefix_trimmer_from_file(NULL, &trimmer) != PYPREFIX_INVALID_ARGUMENT) {
    fprintf(stderr, "c_consumer: a NULL path was not refused\n");
    return 1;
  }
  if (pyprefix_abi_version() < PYPREFIX_ABI_VERSION ||
      strcmp(pyprefix_kind_name(PYPREFIX_KIND_STDLIB), "stdlib") != 0) {
    fprintf(stderr, "c_consumer: wrong ABI version or kind name\n");
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  if (check_errors() != 0) return 1;
  if (argc == 3 && strcmp(argv[1], "--trim") == 0) return trim_lines(argv[2]);
  if (argc == 3 && strcmp(argv[1], "--rewrite") == 0) return rewrite_input(argv[2], 0);
  if (argc == 3 && strcmp(argv[1], "--rewrite-to-module") == 0) return rewrite_input(argv[2], 1);
  if (argc == 2 && strcmp(argv[1], "--which") == 0) return which_lines(NULL);
  if (argc == 3 && strcmp(argv[1], "--which") == 0) return which_lines(argv[2]);
  if (argc == 2 && strcmp(argv[1], "--manifest") == 0) return print_manifest(0);
  if (argc == 2 && strcmp(argv[1], "--names") == 0) return print_names();
  if (argc == 3 && strcmp(argv[1], "--manifest") == 0) return print_manifest(atoi(argv[2]));
  if (argc == 3 && strcmp(argv[1], "--pid") == 0) return print_list(atoi(argv[2]));
  if (argc == 3 && strcmp(argv[1], "--index-of-pid-report") == 0) return index_of_process_report(atoi(argv[2]));
  if (argc >= 5 && strcmp(argv[1], "--cwd") == 0 && strcmp(argv[3], "--") == 0)
    return print_program_list(argv[2], (const char* const*)(argv + 4), (size_t)(argc - 4));
  if (argc == 1) return print_list(0);
  fprintf(
      stderr,
      "usage: c_consumer [--trim SAVED_LIST_OR_MANIFEST | --which [MANIFEST] | --pid PID | --manifest [PID] | --names]"
      " < paths\n");
  return 2;
}
