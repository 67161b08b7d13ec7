using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ftp;
using SecureNmc.Core.Transport;
using Xunit.Abstractions;
using static SecureNmc.Transport.Tests.Ftp.FtpTestSupport;

namespace SecureNmc.Transport.Tests.Ftp
{
    /// <summary>
    /// Seeded random mutation of captured FTP server replies (pure-ftpd and card-style wording), served to
    /// our client by a scripted loopback peer. Every case must end in success or a typed
    /// FileTransferException within its timeout: never another exception, a hang or a connection to an
    /// address other than the control connection's.
    /// </summary>
    public sealed class FtpReplyMutationFuzzTests
    {
        private const int Cases = 5000;
        private const int Seed = 959_2428;
        private static readonly IPAddress Foreign = IPAddress.Parse("127.0.0.3");
        private readonly ITestOutputHelper output;

        public FtpReplyMutationFuzzTests(ITestOutputHelper output) => this.output = output;

        private enum Flow { DownloadPassive, UploadPassive, DownloadActive, UploadActive, DownloadPasvOnly }

        [Fact]
        public async Task Mutated_replies_always_end_in_success_or_a_typed_failure_within_the_timeout()
        {
            var outcomes = new ConcurrentDictionary<string, int>();
            var problems = new ConcurrentQueue<string>();
            int next = -1;
            var started = DateTime.UtcNow;

            async Task Worker()
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < Cases && problems.Count < 5)
                {
                    string outcome = await RunCaseAsync(index, problems);
                    outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                }
            }

            await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(Worker)));

            output.WriteLine($"{Cases} cases in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
            foreach (var pair in outcomes.OrderByDescending(p => p.Value)) output.WriteLine($"  {pair.Key}: {pair.Value}");
            foreach (string problem in problems) output.WriteLine(problem);
            Assert.True(problems.IsEmpty, string.Join("\n", problems));
            Assert.Equal(Cases, outcomes.Values.Sum());
            int failures = outcomes.Where(p => p.Key != "success").Sum(p => p.Value);
            Assert.True(failures > Cases / 2, $"only {failures} of {Cases} mutated cases failed: the mutations are too weak to prove anything");
        }

        [Fact]
        public async Task Every_unmutated_captured_flow_succeeds()
        {
            // Without this, the mutation cases could all be failing for a reason that has nothing to do with the mutations.
            foreach (Flow flow in Enum.GetValues(typeof(Flow)))
            {
                foreach (bool pureFtpdWording in new[] { true, false })
                {
                    byte[] payload = Payload(3000);
                    using var server = new ScriptedFtpServer { DownloadPayload = payload, IdleClose = TimeSpan.FromSeconds(5) };
                    Task serving = server.ServeOneAsync(CapturedScript(flow, server.DataPort, payload.Length, pureFtpdWording), CancellationToken.None);
                    bool active = flow == Flow.DownloadActive || flow == Flow.UploadActive;
                    var options = Options(server.EndPoint, "apc", "apc-pw", active ? FtpDataMode.Active : FtpDataMode.Passive, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
                    string outcome = await WithinAsync(AttemptAsync(options, flow, payload), TimeSpan.FromSeconds(30), flow.ToString());
                    Assert.True(outcome == "success", $"{flow} ({(pureFtpdWording ? "pure-ftpd" : "card")} wording): {outcome}");
                    await WithinAsync(serving, TimeSpan.FromSeconds(30), "scripted server");
                }
            }
        }

        private static async Task<string> RunCaseAsync(int index, ConcurrentQueue<string> problems)
        {
            var random = new Random(Seed + index);
            var flow = (Flow)(index % 5);
            byte[] payload = Payload(random.Next(0, 4000), index);
            using var server = new ScriptedFtpServer { DownloadPayload = payload, IdleClose = TimeSpan.FromMilliseconds(30), DataWait = TimeSpan.FromMilliseconds(600) };
            List<byte[]> script = CapturedScript(flow, server.DataPort, payload.Length, index % 2 == 0);
            TcpListener? sentinel = null;
            string mutation = Mutate(script, random, server.DataPort, flow, ref sentinel);
            using var cancel = new CancellationTokenSource();
            Task serving = server.ServeOneAsync(script, cancel.Token);
            try
            {
                bool active = flow == Flow.DownloadActive || flow == Flow.UploadActive;
                var options = Options(server.EndPoint, "apc", "apc-pw", active ? FtpDataMode.Active : FtpDataMode.Passive,
                    TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(600));
                Task<string> attempt = AttemptAsync(options, flow, payload);
                if (await Task.WhenAny(attempt, Task.Delay(TimeSpan.FromSeconds(15))) != attempt)
                {
                    problems.Enqueue($"case {index} ({flow}, {mutation}): hang, no result within 15 s");
                    return "hang";
                }
                string outcome = await attempt;
                if (outcome.StartsWith("UNTYPED", StringComparison.Ordinal))
                    problems.Enqueue($"case {index} ({flow}, {mutation}): {outcome}");
                if (sentinel != null && sentinel.Pending())
                    problems.Enqueue($"case {index} ({flow}, {mutation}): the client connected to the foreign address of a PASV reply");
                return outcome.StartsWith("UNTYPED", StringComparison.Ordinal) ? "untyped" : outcome;
            }
            finally
            {
                cancel.Cancel();
                sentinel?.Stop();
                try { await serving; } catch (Exception) { }
            }
        }

        private static async Task<string> AttemptAsync(ConnectionOptions options, Flow flow, byte[] payload)
        {
            try
            {
                using var session = await FtpClientSession.OpenAsync(options, CancellationToken.None);
                if (flow == Flow.UploadPassive || flow == Flow.UploadActive)
                    await session.UploadAsync("apc_hw21_aos_2.5.0.8.nmc3", new MemoryStream(payload), payload.Length, null, CancellationToken.None);
                else
                    await session.DownloadAsync("config.ini", new MemoryStream(), null, CancellationToken.None);
                await session.CloseAsync(CancellationToken.None);
                return "success";
            }
            catch (FileTransferException ex)
            {
                return ex.Kind.ToString();
            }
            catch (Exception ex)
            {
                return "UNTYPED " + ex;
            }
        }

        /// <summary>Replies as pure-ftpd 1.0.50 sent them (captured on loopback), or in a card's terse wording.</summary>
        private static List<byte[]> CapturedScript(Flow flow, int dataPort, int size, bool pureFtpdWording)
        {
            var replies = new List<string>();
            replies.Add(pureFtpdWording
                ? "220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\r\n220-You are user number 1 of 10 allowed.\r\n220-Local time is now 18:17. Server port: 47121.\r\n220-This is a private system - No anonymous login\r\n220 You will be disconnected after 15 minutes of inactivity.\r\n"
                : "220 NMC server ready.\r\n");
            replies.Add(pureFtpdWording ? "331 User apc OK. Password required\r\n" : "331 Password required for apc.\r\n");
            replies.Add(pureFtpdWording ? "230 OK. Current directory is /\r\n" : "230 User logged in, proceed.\r\n");
            replies.Add(pureFtpdWording ? "200 TYPE is now 8-bit binary\r\n" : "200 Type set to I.\r\n");
            bool download = flow == Flow.DownloadPassive || flow == Flow.DownloadActive || flow == Flow.DownloadPasvOnly;
            if (download) replies.Add("213 " + size + "\r\n");
            switch (flow)
            {
                case Flow.DownloadPassive:
                case Flow.UploadPassive:
                    replies.Add($"229 Extended Passive mode OK (|||{dataPort}|)\r\n");
                    break;
                case Flow.DownloadPasvOnly:
                    replies.Add("500 Unknown command\r\n");
                    replies.Add($"227 Entering Passive Mode ({FtpEndpointSyntax.FormatSixNumbers(new IPEndPoint(IPAddress.Loopback, dataPort))})\r\n");
                    break;
                default:
                    replies.Add("200 PORT command successful\r\n");
                    break;
            }
            replies.Add(pureFtpdWording
                ? (download ? "150-Accepted data connection\r\n150 3.9 kbytes to download\r\n" : "150 Accepted data connection\r\n")
                : "150 File status okay; about to open data connection.\r\n");
            replies.Add(pureFtpdWording
                ? "226-File successfully transferred\r\n226 0.000 seconds (measured here), 27.25 Kbytes per second\r\n"
                : "226 Closing data connection.\r\n");
            replies.Add(pureFtpdWording ? "221-Goodbye. You uploaded 0 and downloaded 4 kbytes.\r\n221 Logout.\r\n" : "221 Goodbye.\r\n");
            return replies.Select(Encoding.ASCII.GetBytes).ToList();
        }

        /// <summary>Applies 1-3 random mutations in place and describes them (for the failure message).</summary>
        private static string Mutate(List<byte[]> script, Random random, int dataPort, Flow flow, ref TcpListener? sentinel)
        {
            var applied = new List<string>();
            int count = random.Next(1, 4);
            for (int m = 0; m < count && script.Count > 0; m++)
            {
                int at = random.Next(script.Count);
                byte[] reply = script[at];
                int kind = random.Next(12);
                switch (kind)
                {
                    case 0: // truncate
                        script[at] = reply.Take(random.Next(reply.Length)).ToArray();
                        applied.Add($"truncate#{at}");
                        break;
                    case 1: // overwrite bytes with garbage
                    {
                        var copy = (byte[])reply.Clone();
                        int n = random.Next(1, 8);
                        for (int i = 0; i < n && copy.Length > 0; i++) copy[random.Next(copy.Length)] = (byte)random.Next(256);
                        script[at] = copy;
                        applied.Add($"garbage#{at}");
                        break;
                    }
                    case 2: // insert garbage, including CR, LF and NUL
                    {
                        var list = reply.ToList();
                        var garbage = new byte[random.Next(1, 40)];
                        random.NextBytes(garbage);
                        if (random.Next(2) == 0) garbage[random.Next(garbage.Length)] = (byte)'\n';
                        list.InsertRange(random.Next(list.Count + 1), garbage);
                        script[at] = list.ToArray();
                        applied.Add($"insert#{at}");
                        break;
                    }
                    case 3: // oversized line
                    {
                        var list = reply.ToList();
                        list.InsertRange(Math.Min(4, list.Count), Enumerable.Repeat((byte)'A', random.Next(1500, 200_000)));
                        script[at] = list.ToArray();
                        applied.Add($"oversize#{at}");
                        break;
                    }
                    case 4: // bad multi-line: unterminated, or closed by another code
                    {
                        string text = Encoding.ASCII.GetString(reply);
                        text = random.Next(2) == 0 && text.Length > 3
                            ? text.Substring(0, 3) + "-" + (text.Length > 4 ? text.Substring(4) : "")
                            : text.Substring(0, Math.Min(3, text.Length)) + "-start\r\n999 wrong end\r\n";
                        script[at] = Encoding.ASCII.GetBytes(text);
                        applied.Add($"multiline#{at}");
                        break;
                    }
                    case 5: // reply code replaced
                    {
                        var copy = (byte[])reply.Clone();
                        for (int i = 0; i < Math.Min(3, copy.Length); i++) if (random.Next(2) == 0) copy[i] = (byte)"0123456789x "[random.Next(12)];
                        script[at] = copy;
                        applied.Add($"code#{at}");
                        break;
                    }
                    case 6: // bad EPSV / PASV tuple in place of the data-port reply
                    {
                        int dataReply = script.FindIndex(r => r.Length > 3 && (r[0] == '2' && r[1] == '2' && (r[2] == '7' || r[2] == '9')));
                        if (dataReply < 0) { applied.Add("tuple-skip"); break; }
                        string[] bad =
                        {
                            "229 Entering Extended Passive Mode (|||70000|)\r\n", "229 Entering Extended Passive Mode (|||0|)\r\n",
                            "229 Entering Extended Passive Mode (|||-5|)\r\n", "229 Entering Extended Passive Mode (|||999999999999999999999|)\r\n",
                            "229 Entering Extended Passive Mode (|2|::1|21|)\r\n", "229 Entering Extended Passive Mode ()\r\n",
                            "227 Entering Passive Mode (127,0,0,1,256,1)\r\n", "227 Entering Passive Mode (127,0,0,1,0,0)\r\n",
                            "227 Entering Passive Mode (300,0,0,1,4,1)\r\n", "227 Entering Passive Mode (127,0,0,1)\r\n",
                            "227 Entering Passive Mode (-1,0,0,1,4,1)\r\n", "227 Entering Passive Mode\r\n",
                        };
                        script[dataReply] = Encoding.ASCII.GetBytes(bad[random.Next(bad.Length)]);
                        applied.Add($"tuple#{dataReply}");
                        break;
                    }
                    case 7: // PASV naming a foreign address: a sentinel there must never see a connection
                    {
                        int dataReply = script.FindIndex(r => r.Length > 3 && r[0] == '2' && r[1] == '2' && (r[2] == '7' || r[2] == '9'));
                        if (dataReply < 0 || sentinel != null) { applied.Add("foreign-skip"); break; }
                        sentinel = new TcpListener(Foreign, dataPort);
                        try { sentinel.Start(); }
                        catch (SocketException) { sentinel = null; applied.Add("foreign-unavailable"); break; }
                        script[dataReply] = Encoding.ASCII.GetBytes($"227 Entering Passive Mode ({FtpEndpointSyntax.FormatSixNumbers(new IPEndPoint(Foreign, dataPort))})\r\n");
                        applied.Add($"foreign#{dataReply}");
                        break;
                    }
                    case 8: // a reply goes missing
                        script.RemoveAt(at);
                        applied.Add($"drop#{at}");
                        break;
                    case 9: // an unsolicited extra reply
                        script.Insert(at, reply);
                        applied.Add($"dup#{at}");
                        break;
                    case 10: // empty line or lone CR
                        script[at] = random.Next(2) == 0 ? Encoding.ASCII.GetBytes("\r\n") : Encoding.ASCII.GetBytes("\r");
                        applied.Add($"empty#{at}");
                        break;
                    default: // refusal codes with card texts
                    {
                        string[] refusals = { "530 Login incorrect.\r\n", "421 Max logins exceeded.\r\n", "550 STOR requested action not taken.\r\n",
                                              "530 MFA required\r\n", "425 Can't open data connection.\r\n", "452 Insufficient storage\r\n", "120 Ready in 5 minutes\r\n" };
                        script[at] = Encoding.ASCII.GetBytes(refusals[random.Next(refusals.Length)]);
                        applied.Add($"refusal#{at}");
                        break;
                    }
                }
            }
            return string.Join(",", applied);
        }
    }
}
