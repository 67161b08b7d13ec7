using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Tests.TestSupport;

namespace SecureNmc.Core.Tests.Firmware
{
    /// <summary>
    /// OpenVerifiedAsync shares one verified in-memory copy per catalog entry among concurrent uploads:
    /// read and hashed once, every holder gets its own stream over the bytes that were hashed.
    /// </summary>
    public class SharedFirmwareCopyTests
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

        [Fact]
        public async Task Fifty_concurrent_opens_of_one_package_read_and_hash_it_once()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"));
            var su = lib.GetCatalog().Packages.Single();
            var original = File.ReadAllBytes(lib.PathOf(su));
            using var hasher = new CountingHasher(paused: true);
            lib.Hasher = hasher.Hash;

            // The first open's load is stuck in the hash until resumed, so all fifty arrive while it runs.
            var opening = Enumerable.Range(0, 50).Select(_ => lib.OpenVerifiedAsync(su, CancellationToken.None)).ToArray();
            hasher.Resume();
            var files = await Within(Task.WhenAll(opening));
            try
            {
                Assert.Equal(1, hasher.Count);
                Assert.All(files, f => Assert.True(f.IsSharedCopy));
                Assert.Equal(su.Size, lib.SharedCopyBytesHeld); // one copy, however many holders
                Assert.All(files, f => Assert.Equal(original, ReadAll(f.Content)));
            }
            finally
            {
                foreach (var f in files) f.Dispose();
            }
            Assert.Equal(0, lib.SharedCopyBytesHeld);

            // Once the last holder let go, the next open reads and checks the file again.
            using (var again = await lib.OpenVerifiedAsync(su, CancellationToken.None))
                Assert.Equal(original, ReadAll(again.Content));
            Assert.Equal(2, hasher.Count);
        }

        [Fact]
        public async Task Each_holder_reads_its_own_read_only_stream_over_the_same_bytes()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"));
            var su = lib.GetCatalog().Packages.Single();
            var original = File.ReadAllBytes(lib.PathOf(su));

            using var a = await lib.OpenVerifiedAsync(su, CancellationToken.None);
            using var b = await lib.OpenVerifiedAsync(su, CancellationToken.None);
            Assert.True(a.IsSharedCopy);
            Assert.True(b.IsSharedCopy);

            var head = new byte[1000];
            Assert.Equal(head.Length, a.Content.Read(head, 0, head.Length));
            Assert.Equal(original.Take(1000), head);
            Assert.Equal(0, b.Content.Position); // reading a did not move b
            Assert.Equal(original, ReadAll(b.Content));
            Assert.Equal(1000, a.Content.Position); // nor b, a
            Assert.Equal(original.Skip(1000), ReadAll(a.Content));

            Assert.False(a.Content.CanWrite);
            Assert.Throws<NotSupportedException>(() => a.Content.WriteByte(0));
            Assert.Equal(su.Size, a.Length);
            Assert.Same(su, a.Package);
        }

        [Fact]
        public async Task A_file_altered_while_a_copy_is_held_never_reaches_a_holder_and_is_refused_once_all_let_go()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"));
            var su = lib.GetCatalog().Packages.Single();
            var path = lib.PathOf(su);
            var original = File.ReadAllBytes(path);
            using var hasher = new CountingHasher();
            lib.Hasher = hasher.Hash;

            var first = await lib.OpenVerifiedAsync(su, CancellationToken.None);
            var altered = (byte[])original.Clone();
            altered[100] ^= 0xFF; // same length: only the hash can tell
            File.WriteAllBytes(path, altered);

            using (var second = await lib.OpenVerifiedAsync(su, CancellationToken.None))
                Assert.Equal(original, ReadAll(second.Content));
            Assert.Equal(original, ReadAll(first.Content));
            first.Dispose();
            Assert.Equal(1, hasher.Count);

            var refused = await Assert.ThrowsAsync<FirmwareIntegrityException>(() => lib.OpenVerifiedAsync(su, CancellationToken.None));
            Assert.Equal(su.FileName, refused.FileName);
            Assert.Equal($"Firmware file {su.FileName} in the cache has SHA-256 {TestFirmware.Sha256Of(path)} but the catalog says {su.Sha256}: it was altered and will not be sent. Remove it (Clear-NmcFirmwareCache) and import or download it again.",
                refused.Message);
            Assert.Equal(0, lib.SharedCopyBytesHeld);
        }

        [Fact]
        public async Task A_file_truncated_while_a_copy_is_held_never_reaches_a_holder_and_is_refused_once_all_let_go()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SY, "2.5.0.6"));
            var sy = lib.GetCatalog().Packages.Single();
            var path = lib.PathOf(sy);
            var original = File.ReadAllBytes(path);

            var held = await lib.OpenVerifiedAsync(sy, CancellationToken.None);
            using (var f = new FileStream(path, FileMode.Open)) f.SetLength(f.Length - 10);
            using (var meanwhile = await lib.OpenVerifiedAsync(sy, CancellationToken.None))
                Assert.Equal(original, ReadAll(meanwhile.Content));
            Assert.Equal(original, ReadAll(held.Content));
            held.Dispose();

            var refused = await Assert.ThrowsAsync<FirmwareIntegrityException>(() => lib.OpenVerifiedAsync(sy, CancellationToken.None));
            Assert.Equal($"Firmware file {sy.FileName} in the cache is {sy.Size - 10} bytes but the catalog says {sy.Size}: it is truncated or altered and will not be sent. Remove it (Clear-NmcFirmwareCache) and import or download it again.",
                refused.Message);
        }

        [Fact]
        public async Task Concurrent_opens_of_a_tampered_file_all_fail_from_one_check_and_the_failure_is_not_remembered()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"));
            var su = lib.GetCatalog().Packages.Single();
            var path = lib.PathOf(su);
            var original = File.ReadAllBytes(path);
            var altered = (byte[])original.Clone();
            altered[7] ^= 0x01;
            File.WriteAllBytes(path, altered);
            using var hasher = new CountingHasher(paused: true);
            lib.Hasher = hasher.Hash;

            var opening = Enumerable.Range(0, 5).Select(_ => lib.OpenVerifiedAsync(su, CancellationToken.None)).ToArray();
            hasher.Resume();
            await Assert.ThrowsAsync<FirmwareIntegrityException>(() => Within(Task.WhenAll(opening)));
            var failures = opening.Select(t => Assert.IsType<FirmwareIntegrityException>(t.Exception!.InnerException)).ToArray();
            Assert.Equal(1, hasher.Count);
            Assert.All(failures, f => Assert.Contains("it was altered and will not be sent", f.Message));
            Assert.Single(failures.Select(f => f.Message).Distinct());
            Assert.Equal(failures.Length, failures.Distinct().Count()); // each caller its own exception object
            Assert.Equal(0, lib.SharedCopyBytesHeld);

            File.WriteAllBytes(path, original); // the admin puts the right file back
            using (var fixedFile = await lib.OpenVerifiedAsync(su, CancellationToken.None))
                Assert.Equal(original, ReadAll(fixedFile.Content));
            Assert.Equal(2, hasher.Count);
        }

        [Fact]
        public async Task A_caller_that_cancels_stops_waiting_without_disturbing_the_others_or_leaking_budget()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"));
            var su = lib.GetCatalog().Packages.Single();
            var original = File.ReadAllBytes(lib.PathOf(su));
            using var hasher = new CountingHasher(paused: true);
            lib.Hasher = hasher.Hash;
            using var cancel = new CancellationTokenSource();

            var impatient = lib.OpenVerifiedAsync(su, cancel.Token);
            var patient = lib.OpenVerifiedAsync(su, CancellationToken.None);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(impatient)); // while the load is still stuck
            hasher.Resume();
            using (var file = await Within(patient))
                Assert.Equal(original, ReadAll(file.Content));
            Assert.Equal(1, hasher.Count);
            Assert.Equal(0, lib.SharedCopyBytesHeld);
        }

        [Fact]
        public async Task A_load_whose_only_waiter_cancelled_releases_its_budget_when_it_ends()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"));
            var su = lib.GetCatalog().Packages.Single();
            using var hasher = new CountingHasher(paused: true);
            lib.Hasher = hasher.Hash;
            using var cancel = new CancellationTokenSource();

            var impatient = lib.OpenVerifiedAsync(su, cancel.Token);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(impatient));
            Assert.Equal(su.Size, lib.SharedCopyBytesHeld); // the read is still under way, its memory still counts
            hasher.Resume();
            Assert.True(SpinWait.SpinUntil(() => lib.SharedCopyBytesHeld == 0, Patience), "the abandoned load never gave its budget back");
        }

        [Fact]
        public async Task A_package_larger_than_the_budget_is_streamed_from_disk_and_verified_for_every_upload()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"));
            var su = lib.GetCatalog().Packages.Single();
            var path = lib.PathOf(su);
            var original = File.ReadAllBytes(path);
            using var hasher = new CountingHasher();
            lib.Hasher = hasher.Hash;
            lib.SharedCopyBudgetBytes = su.Size - 1;

            using (var a = await lib.OpenVerifiedAsync(su, CancellationToken.None))
            using (var b = await lib.OpenVerifiedAsync(su, CancellationToken.None))
            {
                Assert.False(a.IsSharedCopy);
                Assert.False(b.IsSharedCopy);
                Assert.Equal(original, ReadAll(a.Content));
                Assert.Equal(original, ReadAll(b.Content));
                Assert.Equal(0, lib.SharedCopyBytesHeld);
            }
            Assert.Equal(2, hasher.Count); // each upload checked its own handle

            var altered = (byte[])original.Clone();
            altered[original.Length - 1] ^= 0x80;
            File.WriteAllBytes(path, altered);
            var refused = await Assert.ThrowsAsync<FirmwareIntegrityException>(() => lib.OpenVerifiedAsync(su, CancellationToken.None));
            Assert.Contains("it was altered and will not be sent", refused.Message);
        }

        [Fact]
        public async Task The_budget_covers_all_packages_held_at_once()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"), (ApplicationType.SY, "2.5.0.6"));
            var su = lib.GetCatalog().For(ApplicationType.SU, 21).Single();
            var sy = lib.GetCatalog().For(ApplicationType.SY, 21).Single();
            lib.SharedCopyBudgetBytes = su.Size + sy.Size - 1; // room for one of them, not both

            using (var first = await lib.OpenVerifiedAsync(su, CancellationToken.None))
            {
                Assert.True(first.IsSharedCopy);
                using (var sameAgain = await lib.OpenVerifiedAsync(su, CancellationToken.None))
                    Assert.True(sameAgain.IsSharedCopy); // joining a held copy costs no budget
                using (var other = await lib.OpenVerifiedAsync(sy, CancellationToken.None))
                {
                    Assert.False(other.IsSharedCopy);
                    Assert.Equal(File.ReadAllBytes(lib.PathOf(sy)), ReadAll(other.Content));
                }
            }
            using (var later = await lib.OpenVerifiedAsync(sy, CancellationToken.None))
                Assert.True(later.IsSharedCopy); // the room came back when su was let go

            Assert.Throws<ArgumentOutOfRangeException>(() => lib.SharedCopyBudgetBytes = -1);
            Assert.Equal(FirmwareLibrary.DefaultSharedCopyBudgetBytes, new FirmwareLibrary(temp.Sub("other")).SharedCopyBudgetBytes);
        }

        [Fact]
        public async Task A_different_file_imported_under_the_same_name_is_never_served_from_the_old_copy()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.5.0.6"));
            var old = lib.GetCatalog().Packages.Single();
            var oldBytes = File.ReadAllBytes(lib.PathOf(old));

            using var oldHolder = await lib.OpenVerifiedAsync(old, CancellationToken.None);
            lib.Clear();
            var replacement = Path.Combine(temp.Sub("vendor-again"), old.FileName);
            var newBytes = TestFirmware.Content("a rebuilt package", oldBytes.Length);
            File.WriteAllBytes(replacement, newBytes);
            var reimported = lib.Import(replacement);
            Assert.Equal(old.FileName, reimported.FileName);

            using (var current = await lib.OpenVerifiedAsync(reimported, CancellationToken.None))
            {
                Assert.True(current.IsSharedCopy);
                Assert.Equal(newBytes, ReadAll(current.Content));
            }
            Assert.Equal(oldBytes, ReadAll(oldHolder.Content)); // the earlier holder keeps what it verified
        }

        private static byte[] ReadAll(Stream stream)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        private static async Task<T> Within<T>(Task<T> task)
        {
            if (await Task.WhenAny(task, Task.Delay(Patience)) != task) throw new TimeoutException("The firmware open did not finish in time.");
            return await task;
        }

        private static async Task Within(Task task)
        {
            if (await Task.WhenAny(task, Task.Delay(Patience)) != task) throw new TimeoutException("The firmware open did not finish in time.");
            await task;
        }

        /// <summary>Counts the library's hashes and, when paused, holds each one until the test resumes it.</summary>
        private sealed class CountingHasher : IDisposable
        {
            private readonly ManualResetEventSlim _resumed;
            private int _count;

            public CountingHasher(bool paused = false)
            {
                _resumed = new ManualResetEventSlim(!paused);
            }

            public int Count => Volatile.Read(ref _count);

            public void Resume() => _resumed.Set();

            public string Hash(Stream stream)
            {
                Interlocked.Increment(ref _count);
                if (!_resumed.Wait(Patience))
                {
                    _resumed.Set(); // give up once, not once per caller, so a broken library fails the test instead of stalling it
                    throw new TimeoutException("The test never resumed hashing.");
                }
                return Sha256Hex.Of(stream);
            }

            public void Dispose()
            {
                _resumed.Set();
            }
        }
    }
}
