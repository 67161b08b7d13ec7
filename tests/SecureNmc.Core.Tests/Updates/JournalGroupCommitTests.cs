using System;
using System.IO;
using System.Linq;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Updates
{
    /// <summary>The journal's hand-written lines and its group commit of durable records.</summary>
    public class JournalGroupCommitTests
    {
        private static JournalRecord Record(int i, string? detail = null) => new JournalRecord
        {
            Time = "2026-11-21T12:00:00.0000000Z", RunId = "run-" + i, Kind = JournalRecord.CardKind,
            DeviceId = Guid.NewGuid().ToString(), DeviceName = "ups-" + i, Host = "10.0.0." + i, Status = "UpdatingFirmware",
            Attempt = 1, Step = 2, Steps = 3, From = "sumx 2.4.0.1", To = "sumx 2.6.0.2", Package = "apc_hw21_su_2.6.0.2.nmc3", Detail = detail,
        };

        [Fact]
        public void A_formatted_line_reads_back_through_the_data_contract_exactly()
        {
            var full = Record(7, "quote \" backslash \\ newline \n tab \t bell \u0007 é 漢 \u2028 end");
            full.Reached = "sumx 2.6.0.2"; full.Outcome = "Updated"; full.BackupPath = @"C:\Backup\ups-7\20261121-120000"; full.DurationMs = 123456789012; full.Cards = 1000;
            var sparse = new JournalRecord { Time = "t", RunId = "r", Kind = JournalRecord.RunStartedKind, Cards = 3 };
            foreach (var record in new[] { full, sparse })
            {
                var line = JournalLine.Format(record);
                Assert.EndsWith("\n", line);
                Assert.Equal(1, line.Count(c => c == '\n')); // one record, one line, whatever the detail holds
                var back = (JournalRecord)new DataContractJsonSerializer(typeof(JournalRecord)).ReadObject(new MemoryStream(Encoding.UTF8.GetBytes(line)))!;
                foreach (var property in typeof(JournalRecord).GetProperties())
                    Assert.Equal(property.GetValue(record), property.GetValue(back));
            }
            // Omitted like the contract omits them: a sparse record carries no empty fields.
            Assert.DoesNotContain("\"device\"", JournalLine.Format(sparse));
            Assert.DoesNotContain("\"attempt\"", JournalLine.Format(sparse));
        }

        [Fact]
        public async Task Durable_records_written_during_an_fsync_share_the_next_one_and_wait_for_it()
        {
            using var temp = new TempFolder();
            var path = Path.Combine(temp.Path, "journal.jsonl");
            var journal = UpdateJournal.Acquire(path, durable: true);
            try
            {
                using var inFsync = new SemaphoreSlim(0);
                using var release = new SemaphoreSlim(0);
                int calls = 0;
                journal.BeforeFsync = () =>
                {
                    if (Interlocked.Increment(ref calls) != 1) return;
                    inFsync.Release();
                    Assert.True(release.Wait(TimeSpan.FromSeconds(30)), "the test never released the first fsync");
                };

                var first = Task.Run(() => journal.AppendDurableAsync(Record(0)));
                Assert.True(await inFsync.WaitAsync(TimeSpan.FromSeconds(30)), "the first durable record never reached its fsync");
                var others = Enumerable.Range(1, 50).Select(i => journal.AppendDurableAsync(Record(i))).ToList();

                // They are written (a killed process keeps them) but none is reported durable yet.
                await Task.Delay(100);
                Assert.False(others.Any(t => t.IsCompleted), "a durable record completed before any fsync covering it ran");
                Assert.Equal(51, UpdateJournal.ReadAll(path).Count);

                release.Release();
                var all = Task.WhenAll(others.Append(first));
                Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))));
                await all;
                // One fsync for the first record, one for the fifty that queued behind it.
                Assert.Equal(2, journal.FsyncCount);
            }
            finally
            {
                UpdateJournal.Release(journal);
            }
        }

        [Fact]
        public async Task A_record_covered_by_an_earlier_fsync_does_not_cause_another()
        {
            using var temp = new TempFolder();
            var journal = UpdateJournal.Acquire(Path.Combine(temp.Path, "journal.jsonl"), durable: true);
            try
            {
                await journal.AppendDurableAsync(Record(1));
                journal.Append(Record(2)); // to the OS only
                await journal.AppendDurableAsync(Record(3));
                Assert.Equal(2, journal.FsyncCount);
                journal.Append(Record(4), forceToDisk: true);
                Assert.Equal(3, journal.FsyncCount);
            }
            finally
            {
                UpdateJournal.Release(journal);
            }
        }

        [Fact]
        public async Task A_journal_that_is_not_durable_never_fsyncs_but_keeps_every_record()
        {
            using var temp = new TempFolder();
            var path = Path.Combine(temp.Path, "journal.jsonl");
            var journal = UpdateJournal.Acquire(path, durable: false);
            try
            {
                await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => journal.AppendDurableAsync(Record(i)))));
                journal.Append(Record(99), forceToDisk: true);
                Assert.Equal(0, journal.FsyncCount);
                Assert.Equal(21, UpdateJournal.ReadAll(path, out var unreadable).Count);
                Assert.Equal(0, unreadable);
            }
            finally
            {
                UpdateJournal.Release(journal);
            }
        }
    }
}
