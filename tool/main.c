/* rkbridge -- the operator's tool: look into the journal in Kafka. */
#include "rkb_fmacros.h"
#include "rkb_log.h"
#include "tool.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *fp) {
    fprintf(fp,
            "usage: rkbridge COMMAND [options]\n"
            "\n"
            "  inspect --brokers B --topic T [--partition P] [--from OFFSET]\n"
            "          [--count N]\n"
            "      print records one per line: type, replid, offsets, db,\n"
            "      and the commands of a frame (binary bytes escaped)\n"
            "  export-rdb --brokers B --topic SNAPSHOT_TOPIC [--sync-id ID]\n"
            "          --output FILE\n"
            "      write the newest complete snapshot (or the one given) as\n"
            "      an RDB file, after checking its size and CRC-64\n"
            "  export-stream --brokers B --topic T [--replid R] --output FILE\n"
            "      write the stream bytes journaled for a replid (default:\n"
            "      the last one) and check that no byte is missing\n"
            "  verify --source HOST:PORT --target HOST:PORT [--sample N]\n"
            "          [--max-diffs N] [--ignore-prefix P]\n"
            "          [--source-user U] [--source-password PW]\n"
            "          [--target-user U] [--target-password PW]\n"
            "      compare two Redis instances key by key (type, value,\n"
            "      absolute expiry; keys under P, default rkbridge:,\n"
            "      ignored); print the differences and a summary; exit 0\n"
            "      only when equal (passwords also from RKB_SOURCE_PASSWORD\n"
            "      and RKB_TARGET_PASSWORD)\n"
            "  rdb2resp FILE [--restore [--target-version X.Y.Z]]\n"
            "      write to stdout, as RESP, the commands that rebuild the\n"
            "      RDB file's dataset (for redis-cli --pipe); --restore:\n"
            "      RESTORE each key with its bytes from the file, when the\n"
            "      target's Redis version (default: any) takes the file's\n"
            "      RDB version\n"
            "\n"
            "Exit status: 0 ok, 1 usage error, 2 error reading or checking "
            "the journal\n(verify: the instances differ, or a connection "
            "error;\nrdb2resp: the RDB is corrupt or unsupported, or "
            "stdout failed).\n");
}

int main(int argc, char **argv) {
    rkb_log_init('T', RKB_LOG_WARN);
    if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    if (strcmp(argv[1], "inspect") == 0) {
        return tool_inspect(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "export-rdb") == 0) {
        return tool_export_rdb(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "export-stream") == 0) {
        return tool_export_stream(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "verify") == 0) {
        return tool_verify(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "rdb2resp") == 0) {
        return tool_rdb2resp(argc - 1, argv + 1);
    }
    fprintf(stderr, "rkbridge: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 1;
}
