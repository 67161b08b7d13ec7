using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ftp;

namespace SecureNmc.Transport.Tests.Ftp
{
    /// <summary>
    /// A loopback FTP peer that answers each command with the next reply of a fixed (possibly mutated)
    /// script, whatever the command was. Data connections follow what the client asked for, so a valid
    /// script completes a real transfer. It hangs up once the script is exhausted or the client is silent
    /// for <see cref="IdleClose"/>, so a client waiting for more of a broken reply is not left to its timeout.
    /// </summary>
    internal sealed class ScriptedFtpServer : IDisposable
    {
        private readonly TcpListener control = new TcpListener(IPAddress.Loopback, 0);
        private readonly List<string> commands = new List<string>();

        public ScriptedFtpServer()
        {
            control.Start();
            DataListener = new TcpListener(IPAddress.Loopback, 0);
            DataListener.Start();
        }

        public IPEndPoint EndPoint => (IPEndPoint)control.LocalEndpoint;

        /// <summary>Pre-opened so its port can be written into the script before the script is mutated.</summary>
        public TcpListener DataListener { get; }
        public int DataPort => ((IPEndPoint)DataListener.LocalEndpoint).Port;

        public TimeSpan IdleClose { get; set; } = TimeSpan.FromMilliseconds(60);
        public TimeSpan DataWait { get; set; } = TimeSpan.FromSeconds(2);
        public byte[] DownloadPayload { get; set; } = Array.Empty<byte>();
        public long UploadedBytes { get; private set; }

        public IReadOnlyList<string> Commands { get { lock (commands) return commands.ToArray(); } }

        /// <summary>Serves one client: replies[0] is the greeting, then one reply per command.</summary>
        public async Task ServeOneAsync(IReadOnlyList<byte[]> replies, CancellationToken cancellationToken)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(20));
            using Socket client = await control.AcceptSocketAsync(cts.Token);
            client.NoDelay = true;  // no Nagle stall between a 150 and its 226
            using var stream = new NetworkStream(client, ownsSocket: false);
            var reader = new FtpLineReader(stream, 64 * 1024);
            IPEndPoint? activeTarget = null;
            int next = 0;
            try
            {
                if (replies.Count > 0) await stream.WriteAsync(replies[next++], cts.Token);
                while (next < replies.Count)
                {
                    string? line;
                    using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cts.Token))
                    {
                        idle.CancelAfter(IdleClose);
                        try { line = await reader.ReadLineAsync(idle.Token); }
                        catch (OperationCanceledException) { return; }
                    }
                    if (line == null) return;
                    lock (commands) commands.Add(line);
                    string verb = line.Split(' ')[0].ToUpperInvariant();
                    string argument = line.Length > verb.Length ? line.Substring(verb.Length + 1) : "";
                    if (verb == "EPRT") FtpEndpointSyntax.TryParseEprtArgument(argument, out activeTarget);
                    if (verb == "PORT") FtpEndpointSyntax.TryParsePortArgument(argument, out activeTarget);
                    await stream.WriteAsync(replies[next++], cts.Token);

                    if (verb == "RETR" || verb == "STOR")
                    {
                        using Socket? data = await OpenDataAsync(activeTarget, cts.Token);
                        if (data == null) return;
                        using (var dataStream = new NetworkStream(data, ownsSocket: false))
                        {
                            if (verb == "RETR") await dataStream.WriteAsync(DownloadPayload, cts.Token);
                            else await DrainAsync(dataStream, cts.Token);
                        }
                        data.Shutdown(SocketShutdown.Both);
                        if (next < replies.Count) await stream.WriteAsync(replies[next++], cts.Token);
                    }
                }
                // Script exhausted: let the client read the last reply and hang up first (or go silent).
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cts.Token))
                {
                    idle.CancelAfter(IdleClose);
                    var sink = new byte[4096];
                    try { while (await stream.ReadAsync(sink, idle.Token) > 0) { } }
                    catch (OperationCanceledException) { }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
            {
                // The client hung up or the case ended: both are normal for a scripted peer.
            }
            catch (FtpLineException) { }
            catch (FtpConnectionClosedException) { }
            finally
            {
                try { client.LingerState = new LingerOption(true, 0); } catch (Exception) { }
            }
        }

        private async Task<Socket?> OpenDataAsync(IPEndPoint? activeTarget, CancellationToken cancellationToken)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(DataWait);
            try
            {
                if (activeTarget != null)
                {
                    if (!IPAddress.IsLoopback(activeTarget.Address)) return null;  // never leave loopback
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    try { await socket.ConnectAsync(activeTarget, wait.Token); }
                    catch { socket.Dispose(); throw; }
                    return socket;
                }
                return await DataListener.AcceptSocketAsync(wait.Token);
            }
            catch (Exception ex) when (ex is SocketException || ex is OperationCanceledException)
            {
                return null;
            }
        }

        private async Task DrainAsync(Stream dataStream, CancellationToken cancellationToken)
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await dataStream.ReadAsync(buffer, cancellationToken)) > 0) UploadedBytes += read;
        }

        public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

        public void Dispose()
        {
            control.Stop();
            DataListener.Stop();
        }
    }
}
