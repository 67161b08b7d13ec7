using System;
using System.IO;
using System.Linq;
using System.Text;
using SecureNmc.Core.Csv;
using SecureNmc.Core.Security;
using SecureNmc.Core.Tests.Inventory;
using Xunit;

namespace SecureNmc.Core.Tests.Csv
{
    /// <summary>Issue 13 defect 6: hostile and broken device files end with the real line and reason, in bounded memory.</summary>
    public class DeviceCsvHostileInputTests : IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();
        private readonly DeviceCsvReader _reader;

        public DeviceCsvHostileInputTests() => _reader = new DeviceCsvReader(new KeyFileCredentialProtector(_temp.Folder));

        public void Dispose() => _temp.Dispose();

        private DeviceCsvReadResult Read(string text) => _reader.Read(new StringReader(text), "test.csv");

        [Fact]
        public void UnterminatedQuoteIsReportedWhereItOpensAndLaterLinesAreRead()
        {
            var r = Read("Host,Name\n10.0.0.1,a\n10.0.0.2,\"Rack 2\n10.0.0.4,d\n10.0.0.5,\"e, f\"\n10.0.0.6,f\n");
            Assert.Equal(new[] { 2, 4, 5, 6 }, r.Rows.Select(x => x.LineNumber));
            var p = Assert.Single(r.Problems);
            Assert.Equal((3, DeviceImportProblemKind.BadLine), (p.LineNumber, p.Kind));
            Assert.Contains("never closed", p.Reason);
            Assert.Equal("e, f", r.Rows[2].Device.Name);
        }

        [Fact]
        public void QuoteClosingOnALaterDeviceLineIsStillAnUnterminatedQuote()
        {
            // Line 5's stray quote would "close" line 2's: the record would swallow lines 3 to 5.
            var r = Read("10.0.0.1,SCP,22,apc,\"pw\n10.0.0.3,SCP,22,apc,pw,n3\n10.0.0.4,SCP,22,apc,pw,n4\n10.0.0.5,SCP,22,apc,pw,n\"5\n10.0.0.6\n");
            Assert.Equal(new[] { 2, 3, 5 }, r.Rows.Select(x => x.LineNumber));
            Assert.Equal(new[] { 1, 4 }, r.Problems.Select(p => p.LineNumber));
            Assert.Contains("never closed", r.Problems[0].Reason);
            Assert.Contains("inside a field that is not quoted", r.Problems[1].Reason);
        }

        [Fact]
        public void TextAfterAClosingQuoteIsExplained()
        {
            var r = Read("10.0.0.1,\"SCP\"x,22\n10.0.0.2\n");
            Assert.Equal(2, Assert.Single(r.Rows).LineNumber);
            Assert.Contains("text follows the closing quote", Assert.Single(r.Problems).Reason);
        }

        [Fact]
        public void AFiftyMegabyteLineIsSkippedInBoundedMemory()
        {
            var reader = new GeneratedReader(50_000_000, 'a', "\n10.0.0.7,SCP\n");
            long before = GC.GetAllocatedBytesForCurrentThread();
            var r = _reader.Read(reader, "huge.csv");
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(allocated < 4_000_000, $"{allocated:N0} bytes allocated");
            Assert.Equal(2, Assert.Single(r.Rows).LineNumber);
            var p = Assert.Single(r.Problems);
            Assert.Equal(1, p.LineNumber);
            Assert.Contains("longer than 64 KiB", p.Reason);
        }

        [Fact]
        public void AnUnclosedQuoteBeforeAHugeFileCostsOneLine()
        {
            var tail = new StringBuilder();
            for (int i = 0; i < 5000; i++) tail.Append("10.1.").Append(i / 256).Append('.').Append(i % 256).Append(",SCP\n");
            long before = GC.GetAllocatedBytesForCurrentThread();
            var r = Read("10.0.0.1,\"x\n" + tail);
            Assert.Equal(5000, r.Rows.Count);
            Assert.Equal(1, Assert.Single(r.Problems).LineNumber);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 200_000_000);
        }

        [Fact]
        public void TwoHundredMegabytesOfNulBytesAreRefusedAsNotTextInBoundedMemory()
        {
            using (var stream = new NulStream(200_000_000))
            using (var text = new StreamReader(stream, new UTF8Encoding(false), true))
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                var r = _reader.Read(text, "nul.csv");
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated < 4_000_000, $"{allocated:N0} bytes allocated");
                Assert.Empty(r.Rows);
                Assert.Contains("not a text file", Assert.Single(r.Problems).Reason);
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void RandomBinaryJunkNeverBecomesDevices(int seed)
        {
            var bytes = new byte[1_000_000];
            new Random(seed).NextBytes(bytes);
            for (int i = 0; i < bytes.Length; i += 7) bytes[i] = (byte)'\n'; // many short "lines" like 'V' and 't'
            using (var text = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), true))
            {
                var r = _reader.Read(text, "junk.csv");
                Assert.Empty(r.Rows);
                Assert.Contains("not a text file", Assert.Single(r.Problems).Reason);
            }
        }

        [Fact]
        public void InvalidUtf8IsRefusedEvenAfterGoodLines()
        {
            var bytes = Encoding.ASCII.GetBytes("10.0.0.1,SCP\nV\n").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();
            var path = Path.Combine(_temp.Path, "latin.csv");
            Directory.CreateDirectory(_temp.Path);
            File.WriteAllBytes(path, bytes);
            var r = _reader.ReadFile(path);
            Assert.Empty(r.Rows);
            var p = Assert.Single(r.Problems);
            Assert.Equal(3, p.LineNumber);
            Assert.Contains("not UTF-8", p.Reason);
        }

        [Fact]
        public void ALineWithControlCharactersIsRefusedAlone()
        {
            var r = Read("10.0.0.1,SCP\nV\u0003t\n10.0.0.3\n");
            Assert.Equal(new[] { 1, 3 }, r.Rows.Select(x => x.LineNumber));
            var p = Assert.Single(r.Problems);
            Assert.Equal(2, p.LineNumber);
            Assert.Contains("control characters", p.Reason);
        }

        /// <summary>A reader of <c>count</c> copies of a character, then a tail, generated as read.</summary>
        private sealed class GeneratedReader : TextReader
        {
            private long _left;
            private readonly char _c;
            private readonly string _tail;
            private int _tailPos;

            public GeneratedReader(long count, char c, string tail) { _left = count; _c = c; _tail = tail; }

            public override int Read(char[] buffer, int index, int count)
            {
                if (_left > 0)
                {
                    int n = (int)Math.Min(count, _left);
                    for (int i = 0; i < n; i++) buffer[index + i] = _c;
                    _left -= n;
                    return n;
                }
                int t = Math.Min(count, _tail.Length - _tailPos);
                _tail.CopyTo(_tailPos, buffer, index, t);
                _tailPos += t;
                return t;
            }
        }

        private sealed class NulStream : Stream
        {
            private long _left;
            public NulStream(long length) => _left = length;
            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = (int)Math.Min(count, _left);
                Array.Clear(buffer, offset, n);
                _left -= n;
                return n;
            }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
