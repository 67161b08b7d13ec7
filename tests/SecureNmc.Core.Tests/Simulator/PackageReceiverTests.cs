using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Firmware;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>
    /// The streaming package check gives exactly the verdicts of the former whole-file reader (kept
    /// below as the oracle), however the file is cut into chunks, and a card gives the same answer
    /// whether the size was announced (SCP, in-process) or not (FTP STOR).
    /// </summary>
    public class PackageReceiverTests
    {
        private static readonly byte[] Valid = new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "2.6.0.4", "2.6.0.3", "1.6.0.1").ToBytes(300);
        private static int ManifestLength(byte[] p) => p[8] << 24 | p[9] << 16 | p[10] << 8 | p[11];

        /// <summary>What the receiver says when fed <paramref name="data"/> in the given chunk sizes (cycled).</summary>
        private static (SimulatorFirmwarePackage? Package, string? Problem) Receive(byte[] data, params int[] chunks) => Receive(null, data, chunks);

        private static (SimulatorFirmwarePackage? Package, string? Problem) Receive(VerifiedPackageReferences? references, byte[] data, params int[] chunks)
        {
            using var receiver = new SimulatorPackageReceiver(references);
            int at = 0, i = 0;
            while (at < data.Length)
            {
                int n = Math.Min(chunks.Length == 0 ? data.Length : chunks[i++ % chunks.Length], data.Length - at);
                var chunk = new byte[n + 5]; // offset copy: the receiver must honour offset and count
                Buffer.BlockCopy(data, at, chunk, 3, n);
                receiver.Append(chunk, 3, n);
                at += n;
            }
            Assert.Equal(data.Length, receiver.BytesReceived);
            return (receiver.Complete(out var problem), problem);
        }

        private static readonly int[][] Chunkings = { new int[0], new[] { 1 }, new[] { 7 }, new[] { 31 }, new[] { 32 }, new[] { 33 }, new[] { 3, 64, 1, 500 }, new[] { 16 * 1024 } };

        /// <summary>
        /// Reference stores a receiver may meet: none (hash everything), one that already holds the
        /// valid package (compare, and hash from the first difference), and an empty one (record).
        /// </summary>
        private static IEnumerable<(string Name, Func<VerifiedPackageReferences?> Make)> ReferenceModes()
        {
            yield return ("no references", () => null);
            yield return ("valid package remembered", () =>
            {
                var store = new VerifiedPackageReferences(1 << 20, 1 << 20);
                Assert.Null(Receive(store, Valid).Problem);
                Assert.Equal(Valid.Length, store.BytesKept);
                return store;
            });
            yield return ("empty store", () => new VerifiedPackageReferences(1 << 20, 1 << 20));
        }

        private static void AssertSameAsOracle(byte[] data, string because)
        {
            var expected = LegacyPackageReader.TryRead(data, out var expectedProblem);
            foreach (var mode in ReferenceModes())
            foreach (var chunking in Chunkings)
            {
                var references = mode.Make();
                var (package, problem) = Receive(references, data, chunking);
                Assert.True(expectedProblem == problem, $"{because}, {mode.Name}, chunks {string.Join(",", chunking)}: expected '{expectedProblem}', got '{problem}'");
                // Whatever the store held, a second receipt (now possibly compared with what the first recorded) agrees too.
                Assert.True(expectedProblem == Receive(references, data, chunking).Problem, $"{because}, {mode.Name}, second receipt");
                Assert.True(expectedProblem == problem, $"{because}, chunks {string.Join(",", chunking)}: expected '{expectedProblem}', got '{problem}'");
                Assert.Equal(expected == null, package == null);
                if (package != null)
                {
                    Assert.Equal(expected!.HardwareCode, package.HardwareCode);
                    Assert.Equal(expected.ApplicationType, package.ApplicationType);
                    Assert.Equal(expected.AosVersion, package.AosVersion);
                    Assert.Equal(expected.ApplicationVersion, package.ApplicationVersion);
                    Assert.Equal(expected.BootloaderVersion, package.BootloaderVersion);
                }
            }
        }

        /// <summary>body + SHA-256(body): a file whose integrity check passes, so the later checks are reached.</summary>
        private static byte[] Seal(byte[] body)
        {
            using var sha = SHA256.Create();
            return body.Concat(sha.ComputeHash(body)).ToArray();
        }

        private static byte[] Body(byte[] package) => package[..^32];

        private static byte[] UInt32(long v) => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v };

        [Fact]
        public void A_valid_package_reads_the_same_in_any_chunking()
        {
            AssertSameAsOracle(Valid, "valid");
            var (package, problem) = Receive(Valid, 1);
            Assert.Null(problem);
            Assert.Equal("1.6.0.1", package!.BootloaderVersion);
        }

        [Fact]
        public void Truncated_at_every_boundary_gives_the_former_verdict()
        {
            int ml = ManifestLength(Valid);
            var cuts = new[] { 0, 1, 7, 8, 9, 11, 12, 13, 12 + ml - 1, 12 + ml, 12 + ml + 1, 16 + ml - 1, 16 + ml, 16 + ml + 1,
                               Valid.Length / 2, Valid.Length - 33, Valid.Length - 32, Valid.Length - 31, Valid.Length - 1 };
            foreach (var cut in cuts) AssertSameAsOracle(Valid[..cut], $"cut at {cut}");
            Assert.Equal(SimulatorPackageReceiver.NotAPackage, Receive(Valid[..47]).Problem);
            Assert.Equal(SimulatorPackageReceiver.IntegrityFailed, Receive(Valid[..^1]).Problem);
        }

        [Fact]
        public void Every_flipped_byte_gives_the_former_verdict()
        {
            for (int i = 0; i < Valid.Length; i++)
            {
                var copy = (byte[])Valid.Clone();
                copy[i] ^= 0x5A;
                AssertSameAsOracle(copy, $"flipped at {i}");
                Assert.Equal(i < 8 ? SimulatorPackageReceiver.NotAPackage : SimulatorPackageReceiver.IntegrityFailed, Receive(copy, 13).Problem);
            }
        }

        [Fact]
        public void Appended_junk_fails_the_integrity_check()
        {
            foreach (var junk in new[] { 1, 31, 32, 33, 5000 })
            {
                var data = Valid.Concat(Enumerable.Repeat((byte)0xAB, junk)).ToArray();
                AssertSameAsOracle(data, $"{junk} junk bytes");
                Assert.Equal(SimulatorPackageReceiver.IntegrityFailed, Receive(data, 7).Problem);
            }
        }

        [Fact]
        public void Sealed_but_malformed_files_reach_the_manifest_and_payload_checks()
        {
            var body = Body(Valid);
            int ml = ManifestLength(Valid);
            var cases = new Dictionary<string, (byte[] Data, string Problem)>
            {
                ["manifest length over 4096"] = (Seal(body[..8].Concat(UInt32(5000)).Concat(new byte[5100]).ToArray()), SimulatorPackageReceiver.ManifestDamaged),
                ["manifest length 4097, file long enough"] = (Seal(body[..8].Concat(UInt32(4097)).Concat(new byte[4097 + 4]).ToArray()), SimulatorPackageReceiver.ManifestDamaged),
                ["manifest length past the end"] = (Seal(body[..8].Concat(UInt32(ml + 400)).Concat(body[12..]).ToArray()), SimulatorPackageReceiver.ManifestDamaged),
                ["huge manifest length"] = (Seal(body[..8].Concat(UInt32(uint.MaxValue)).Concat(body[12..]).ToArray()), SimulatorPackageReceiver.ManifestDamaged),
                ["payload length too small"] = (Seal(body[..(12 + ml)].Concat(UInt32(299)).Concat(body[(16 + ml)..]).ToArray()), SimulatorPackageReceiver.PayloadLengthMismatch),
                ["payload length too large"] = (Seal(body[..(12 + ml)].Concat(UInt32(uint.MaxValue)).Concat(body[(16 + ml)..]).ToArray()), SimulatorPackageReceiver.PayloadLengthMismatch),
                ["payload longer than announced"] = (Seal(body.Concat(new byte[10]).ToArray()), SimulatorPackageReceiver.PayloadLengthMismatch),
                ["manifest text garbled"] = (Seal(body[..12].Concat(Enumerable.Repeat((byte)'x', ml)).Concat(body[(12 + ml)..]).ToArray()), SimulatorPackageReceiver.ManifestDamaged),
                ["empty manifest"] = (Seal(body[..8].Concat(UInt32(0)).Concat(UInt32(0)).ToArray()), SimulatorPackageReceiver.ManifestDamaged),
                ["magic only, sealed"] = (Seal(body[..8].Concat(new byte[8]).ToArray()), SimulatorPackageReceiver.ManifestDamaged),
            };
            foreach (var c in cases)
            {
                AssertSameAsOracle(c.Value.Data, c.Key);
                Assert.True(c.Value.Problem == Receive(c.Value.Data, 5).Problem, c.Key);
            }
        }

        [Fact]
        public void A_package_equal_to_a_remembered_one_is_checked_by_comparison_not_hashing()
        {
            var store = new VerifiedPackageReferences(1 << 20, 1 << 20);
            int payloadStart = 16 + ManifestLength(Valid);
            using (var first = new SimulatorPackageReceiver(store))
            {
                first.Append(Valid, 0, Valid.Length);
                Assert.NotNull(first.Complete(out var firstProblem));
                Assert.Null(firstProblem);
                Assert.Equal(Valid.Length - 32, first.BytesHashed); // recorded while hashed in full
            }
            Assert.Equal(Valid.Length, store.BytesKept);
            using (var second = new SimulatorPackageReceiver(store))
            {
                second.Append(Valid, 0, Valid.Length);
                Assert.NotNull(second.Complete(out var problem));
                Assert.Null(problem);
                Assert.True(second.BytesHashed <= payloadStart, $"hashed {second.BytesHashed} bytes; only the {payloadStart} before the payload should be");
            }
            // One byte different in the payload: hashed from the difference on, and refused.
            var flipped = Flip(Valid, Valid.Length - 40);
            using (var third = new SimulatorPackageReceiver(store))
            {
                third.Append(flipped, 0, flipped.Length);
                Assert.Null(third.Complete(out var problem));
                Assert.Equal(SimulatorPackageReceiver.IntegrityFailed, problem);
                Assert.Equal(flipped.Length - 32, third.BytesHashed);
            }
        }

        [Fact]
        public void Only_a_complete_valid_package_within_the_limits_is_remembered()
        {
            var store = new VerifiedPackageReferences(1 << 20, 1 << 20);
            Assert.Equal(SimulatorPackageReceiver.IntegrityFailed, Receive(store, Flip(Valid, 100)).Problem);
            Assert.Equal(SimulatorPackageReceiver.IntegrityFailed, Receive(store, Valid[..^1]).Problem);
            using (var cutOff = new SimulatorPackageReceiver(store)) cutOff.Append(Valid, 0, Valid.Length / 2); // dropped mid-upload
            Assert.Equal(0, store.BytesKept);
            Assert.Null(Receive(store, Valid).Problem);
            Assert.Equal(Valid.Length, store.BytesKept);

            var small = new VerifiedPackageReferences(1 << 20, Valid.Length - 1);
            Assert.Null(Receive(small, Valid).Problem);
            Assert.Equal(0, small.BytesKept); // larger than the per-package limit: always hashed
            var full = new VerifiedPackageReferences(Valid.Length - 1, 1 << 20);
            Assert.Null(Receive(full, Valid).Problem);
            Assert.Equal(0, full.BytesKept); // over the total budget
        }

        [Fact]
        public void Foreign_files_are_not_packages()
        {
            AssertSameAsOracle(System.Text.Encoding.ASCII.GetBytes("MZ this is a Windows program, long enough to pass the size test"), "foreign");
            AssertSameAsOracle(new byte[100_000], "zeros");
            Assert.Equal(SimulatorPackageReceiver.NotAPackage, Receive(new byte[0]).Problem);
        }

        [Fact]
        public void Randomly_mutated_and_resealed_files_get_the_former_verdict_in_random_chunks()
        {
            var random = new Random(20261121);
            var originals = new[] { Valid, new SimulatorFirmwarePackage("hw05", ApplicationType.RPDU2G, "2.6.0.4", "2.6.0.3", null).ToBytes(0), new SimulatorFirmwarePackage("hw21", ApplicationType.SY, "3.0.0.1", "3.0.0.2", null).ToBytes(5000) };
            var verdicts = new HashSet<string?>();
            var remembered = new VerifiedPackageReferences(1 << 20, 1 << 20);
            foreach (var original in originals) Assert.Null(Receive(remembered, original).Problem);
            for (int i = 0; i < 1500; i++)
            {
                var copy = (byte[])originals[random.Next(originals.Length)].Clone();
                int edits = random.Next(4);
                for (int e = 0; e < edits; e++) copy[random.Next(copy.Length)] ^= (byte)(1 + random.Next(255));
                switch (random.Next(5))
                {
                    case 0: Array.Resize(ref copy, random.Next(copy.Length + 1)); break;
                    case 1: Array.Resize(ref copy, copy.Length + random.Next(64)); break;
                }
                if (random.Next(2) == 0 && copy.Length >= 32) copy = Seal(copy[..^32]); // get past the hash to the deeper checks
                var expected = LegacyPackageReader.TryRead(copy, out var expectedProblem);
                var chunks = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => 1 + random.Next(random.Next(2) == 0 ? 40 : 2000)).ToArray();
                var (package, problem) = Receive(copy, chunks);
                Assert.True(expectedProblem == problem, $"case {i}: expected '{expectedProblem}', got '{problem}'");
                Assert.True(expectedProblem == Receive(remembered, copy, chunks).Problem, $"case {i}, compared with remembered originals: expected '{expectedProblem}'");
                Assert.Equal(expected == null, package == null);
                verdicts.Add(problem);
            }
            // The fuzzing reached every verdict, accepted ones included.
            Assert.Contains(null, verdicts);
            Assert.Contains(SimulatorPackageReceiver.NotAPackage, verdicts);
            Assert.Contains(SimulatorPackageReceiver.IntegrityFailed, verdicts);
            Assert.Contains(SimulatorPackageReceiver.ManifestDamaged, verdicts);
            Assert.Contains(SimulatorPackageReceiver.PayloadLengthMismatch, verdicts);
        }

        [Fact]
        public async Task A_card_gives_the_same_answer_with_and_without_an_announced_size()
        {
            int ml = ManifestLength(Valid);
            var body = Body(Valid);
            var files = new Dictionary<string, byte[]>
            {
                ["truncated in the manifest"] = Valid[..(12 + ml / 2)],
                ["truncated in the payload"] = Valid[..(Valid.Length - 100)],
                ["truncated in the trailer"] = Valid[..^5],
                ["flipped"] = Flip(Valid, Valid.Length / 3),
                ["junk appended"] = Valid.Concat(new byte[40]).ToArray(),
                ["manifest too long"] = Seal(body[..8].Concat(UInt32(5000)).Concat(new byte[5100]).ToArray()),
                ["payload length wrong"] = Seal(body.Concat(new byte[10]).ToArray()),
                ["not a package"] = new byte[70_000],
            };
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            card.FtpEnabled = true;
            foreach (var file in files)
            {
                LegacyPackageReader.TryRead(file.Value, out var reason);
                foreach (var (protocol, length) in new[] { (CardProtocol.Ssh, (long)file.Value.Length), (CardProtocol.Ftp, -1L) })
                {
                    using var session = (await Within(card.LoginAsync(protocol, "admin", "Admin!2345", null, Token))).Session!;
                    var result = await Within(session.ReceiveUploadAsync("apc_hw21_su_2.6.0.3.nmc3", new MemoryStream(file.Value), length, Token));
                    Assert.False(result.Accepted, file.Key);
                    Assert.Equal($"Firmware upgrade failed: {reason}.", result.Message);
                }
            }
            Assert.Equal(CardState.Running, card.State);
            Assert.Equal(0, card.FirmwareUpdatesApplied);
        }

        private static byte[] Flip(byte[] data, int at)
        {
            var copy = (byte[])data.Clone();
            copy[at] ^= 0x01;
            return copy;
        }

        /// <summary>The former whole-file reader, verbatim in its checks: the oracle the streaming receiver must match.</summary>
        private static class LegacyPackageReader
        {
            public static SimulatorFirmwarePackage? TryRead(byte[] data, out string? problem)
            {
                problem = null;
                var magic = SimulatorFirmwarePackage.Magic;
                if (data == null || data.Length < magic.Length + 4 + 4 + 32 || !data.Take(magic.Length).SequenceEqual(magic))
                {
                    problem = "the file is not a firmware package for this card";
                    return null;
                }
                using (var sha = SHA256.Create())
                {
                    var expected = sha.ComputeHash(data, 0, data.Length - 32);
                    for (int i = 0; i < 32; i++)
                    {
                        if (expected[i] != data[data.Length - 32 + i])
                        {
                            problem = "the package failed its integrity check (it is corrupt or incomplete)";
                            return null;
                        }
                    }
                }
                int pos = magic.Length;
                uint manifestLength = ReadUInt32(data, ref pos);
                if (manifestLength > 4096 || pos + manifestLength + 4 > data.Length - 32)
                {
                    problem = "the package manifest is damaged";
                    return null;
                }
                var manifestText = System.Text.Encoding.UTF8.GetString(data, pos, (int)manifestLength);
                pos += (int)manifestLength;
                uint payloadLength = ReadUInt32(data, ref pos);
                if (pos + payloadLength != data.Length - 32)
                {
                    problem = "the package payload length does not match the file";
                    return null;
                }
                var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in manifestText.Split('\n'))
                {
                    int eq = line.IndexOf('=');
                    if (eq > 0) fields[line.Substring(0, eq).Trim()] = line.Substring(eq + 1).Trim();
                }
                string? Field(string key) => fields.TryGetValue(key, out var v) ? v : null;
                if (Field("format") != "1" || !ApplicationTypeInfo.TryParse(Field("application"), out var app) ||
                    !FirmwareVersion.TryParse(Field("aos"), out _) || !FirmwareVersion.TryParse(Field("application-version"), out _) ||
                    string.IsNullOrEmpty(Field("hardware")))
                {
                    problem = "the package manifest is damaged";
                    return null;
                }
                var carries = string.Equals(Field("carries-bootloader"), "true", StringComparison.OrdinalIgnoreCase);
                var boot = carries ? Field("bootloader") : null;
                if (carries && !FirmwareVersion.TryParse(boot, out _))
                {
                    problem = "the package manifest is damaged";
                    return null;
                }
                try
                {
                    return new SimulatorFirmwarePackage(Field("hardware")!, app, Field("aos")!, Field("application-version")!, boot);
                }
                catch (ArgumentException)
                {
                    problem = "the package manifest is damaged";
                    return null;
                }
            }

            private static uint ReadUInt32(byte[] d, ref int pos)
            {
                uint v = (uint)(d[pos] << 24 | d[pos + 1] << 16 | d[pos + 2] << 8 | d[pos + 3]);
                pos += 4;
                return v;
            }
        }
    }
}
