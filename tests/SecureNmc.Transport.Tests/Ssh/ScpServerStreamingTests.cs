using SecureNmc.Core.Ssh.Scp;
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Scp;
using SecureNmc.Simulator.Ssh.Server;

namespace SecureNmc.Transport.Tests.Ssh
{
    /// <summary>
    /// The SCP sink hands each file to <see cref="ScpServerHandler.ReceiveFile"/> as a stream read from
    /// the channel: the receiver sees bytes before the sender has sent them all, and the protocol stays
    /// exact (acks, error lines, short files, missing end markers, refusals before the end).
    /// </summary>
    public class ScpServerStreamingTests
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

        private static byte[] Record(string name, byte[] content, byte end = 0) =>
            Encoding.ASCII.GetBytes($"C0644 {content.Length} {name}\n").Concat(content).Concat(new[] { end }).ToArray();

        private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

        private static async Task<(int Status, byte[] Output)> Run(ScpServerHandler handler, Stream input, string command = "scp -t .")
        {
            var output = new MemoryStream();
            using var aborted = new CancellationTokenSource(Deadline);
            var context = new SshExecContext(command, "admin", null, input, output, new MemoryStream(), aborted.Token);
            Assert.True(ScpCommand.TryParse(command, out var scp));
            var run = handler.RunAsync(context, scp);
            if (await Task.WhenAny(run, Task.Delay(Deadline)) != run) throw new TimeoutException("The SCP sink did not finish.");
            return (await run, output.ToArray());
        }

        private static void AssertReply(int expectedStatus, byte[] expectedOutput, int status, byte[] output)
        {
            Assert.Equal(expectedStatus, status);
            Assert.Equal(expectedOutput, output);
        }

        private static async Task<byte[]> ReadAll(Stream s, int chunk = 4)
        {
            var all = new MemoryStream();
            var buffer = new byte[chunk];
            int n;
            while ((n = await s.ReadAsync(buffer, 0, buffer.Length)) > 0) all.Write(buffer, 0, n);
            return all.ToArray();
        }

        [Fact]
        public async Task A_file_arrives_as_a_stream_of_its_announced_length_and_is_acknowledged()
        {
            var received = new List<(string Name, long Length, byte[] Bytes)>();
            var handler = new ScpServerHandler
            {
                ReceiveFile = async (name, content, length, ct) => received.Add((name, length, await ReadAll(content))),
            };
            var file = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
            var (status, output) = await Run(handler, new MemoryStream(Record("apc.nmc3", file).Concat(Record("two.nmc3", new byte[] { 9 })).ToArray()));
            Assert.Equal(0, status);
            Assert.Equal(new byte[] { 0, 0, 0, 0, 0 }, output);
            Assert.Equal(2, received.Count);
            Assert.Equal(("apc.nmc3", 1000L), (received[0].Name, received[0].Length));
            Assert.Equal(file, received[0].Bytes);
            Assert.Equal(new byte[] { 9 }, received[1].Bytes);
        }

        [Fact]
        public async Task A_refusal_before_the_end_is_answered_after_the_rest_is_skipped_and_the_next_file_still_arrives()
        {
            var seen = new List<string>();
            var handler = new ScpServerHandler
            {
                ReceiveFile = async (name, content, length, ct) =>
                {
                    if (name == "denied.nmc3") throw new UnauthorizedAccessException();
                    if (name == "bad.nmc3")
                    {
                        int looked = await content.ReadAsync(new byte[10], 0, 10, ct); // the card looks at the start, then refuses
                        Assert.True(looked > 0);
                        throw new InvalidDataException("Firmware upgrade failed: the file is not a firmware package for this card.");
                    }
                    seen.Add(Encoding.ASCII.GetString(await ReadAll(content)));
                },
            };
            var input = Record("denied.nmc3", new byte[5000]).Concat(Record("bad.nmc3", new byte[70_000])).Concat(Record("good.nmc3", Ascii("fine"))).ToArray();
            var (status, output) = await Run(handler, new MemoryStream(input));
            Assert.Equal(1, status);
            var expected = new byte[] { 0, 0 }
                .Concat(Ascii("\u0001scp: denied.nmc3: Permission denied\n")).Concat(new byte[] { 0 })
                .Concat(Ascii("\u0001scp: bad.nmc3: Firmware upgrade failed: the file is not a firmware package for this card.\n")).Concat(new byte[] { 0, 0 });
            Assert.Equal(Encoding.ASCII.GetString(expected.ToArray()), Encoding.ASCII.GetString(output));
            Assert.Equal(new[] { "fine" }, seen);
        }

        [Fact]
        public async Task A_short_file_fails_the_receivers_read_and_gets_no_reply()
        {
            Exception? failure = null;
            byte[]? got = null;
            var handler = new ScpServerHandler
            {
                ReceiveFile = async (name, content, length, ct) =>
                {
                    try { got = await ReadAll(content); }
                    catch (Exception ex) { failure = ex; throw; }
                },
            };
            var input = Ascii("C0644 100 short.nmc3\n").Concat(new byte[60]).ToArray();
            var (status, output) = await Run(handler, new MemoryStream(input));
            Assert.Equal(1, status);
            Assert.Equal(new byte[] { 0, 0 }, output);
            Assert.Null(got);
            Assert.IsType<ScpProtocolException>(failure);
            Assert.Contains("60 of the 100", failure!.Message);
        }

        [Fact]
        public async Task A_missing_end_marker_is_caught_before_the_last_bytes_are_handed_over()
        {
            long handedOver = 0;
            bool completed = false;
            var handler = new ScpServerHandler
            {
                ReceiveFile = async (name, content, length, ct) =>
                {
                    var buffer = new byte[4];
                    int n;
                    while ((n = await content.ReadAsync(buffer, 0, buffer.Length, ct)) > 0) handedOver += n;
                    completed = true; // a card would now judge (and install) the file
                },
            };
            var (status, output) = await Run(handler, new MemoryStream(Record("p.nmc3", new byte[10], end: 1)));
            Assert.Equal(1, status);
            Assert.Equal(new byte[] { 0, 0 }, output);
            Assert.False(completed);
            Assert.Equal(8, handedOver);
        }

        [Fact]
        public async Task An_empty_file_is_checked_for_its_end_marker_before_the_receiver_runs()
        {
            int calls = 0;
            var handler = new ScpServerHandler { ReceiveFile = (name, content, length, ct) => { calls++; return Task.CompletedTask; } };
            var ok = await Run(handler, new MemoryStream(Record("e.nmc3", new byte[0])));
            AssertReply(0, new byte[] { 0, 0, 0 }, ok.Status, ok.Output);
            var broken = await Run(handler, new MemoryStream(Record("e.nmc3", new byte[0], end: 2)));
            AssertReply(1, new byte[] { 0, 0 }, broken.Status, broken.Output);
            Assert.Equal(1, calls);
        }

        [Fact]
        public async Task The_byte_array_callback_still_gets_whole_files_and_oversized_ones_are_refused_up_front()
        {
            var stored = new Dictionary<string, byte[]>();
            var handler = new ScpServerHandler
            {
                WriteFile = (name, data, ct) => { stored[name] = data; return Task.CompletedTask; },
                MaxUploadBytes = 100_000,
            };
            var big = Enumerable.Range(0, 99_999).Select(i => (byte)(i * 7)).ToArray();
            var (status, output) = await Run(handler, new MemoryStream(Record("big.bin", big)));
            AssertReply(0, new byte[] { 0, 0, 0 }, status, output);
            Assert.Equal(big, stored["big.bin"]);

            var refused = await Run(handler, new MemoryStream(Ascii("C0644 100001 huge.bin\n")));
            Assert.Equal(1, refused.Status);
            Assert.Equal("\0\u0001scp: huge.bin: file too large\n", Encoding.ASCII.GetString(refused.Output));
            var shortFile = await Run(handler, new MemoryStream(Ascii("C0644 10 s.bin\n12345")));
            AssertReply(1, new byte[] { 0, 0 }, shortFile.Status, shortFile.Output);
            Assert.False(stored.ContainsKey("s.bin"));
        }

        [Fact]
        public async Task The_receiver_reads_the_first_half_while_the_sender_has_not_sent_the_second()
        {
            var pipe = new Pipe();
            var file = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();
            int half = file.Length / 2;
            var gotHalf = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            byte[]? all = null;
            var handler = new ScpServerHandler
            {
                ReceiveFile = async (name, content, length, ct) =>
                {
                    var received = new MemoryStream();
                    var buffer = new byte[8192];
                    int n;
                    while ((n = await content.ReadAsync(buffer, 0, buffer.Length, ct)) > 0)
                    {
                        received.Write(buffer, 0, n);
                        if (received.Length == half) gotHalf.TrySetResult(true);
                    }
                    all = received.ToArray();
                },
            };
            var run = Run(handler, pipe.Reader.AsStream());
            await pipe.Writer.WriteAsync(Ascii($"C0644 {file.Length} p.nmc3\n"));
            await pipe.Writer.WriteAsync(file.AsMemory(0, half));
            // The second half is not written yet: the receiver must already have the first.
            if (await Task.WhenAny(gotHalf.Task, Task.Delay(Deadline)) != gotHalf.Task) throw new TimeoutException("The receiver did not get the first half while the sender held the second.");
            Assert.Null(all);
            await pipe.Writer.WriteAsync(file.AsMemory(half));
            await pipe.Writer.WriteAsync(new byte[] { 0 });
            await pipe.Writer.CompleteAsync();
            var (status, output) = await run;
            AssertReply(0, new byte[] { 0, 0, 0 }, status, output);
            Assert.Equal(file, all);
        }
    }
}
