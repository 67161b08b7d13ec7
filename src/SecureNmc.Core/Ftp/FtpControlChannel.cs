using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Ftp
{
    /// <summary>
    /// The client end of an FTP control connection: sends commands, reads replies, each under a hard
    /// time limit, and turns socket trouble into typed failures.
    /// </summary>
    internal sealed class FtpControlChannel : IDisposable
    {
        private static readonly Encoding CommandEncoding = new UTF8Encoding(false);
        private readonly Socket socket;
        private readonly NetworkStream stream;
        private readonly FtpReplyReader replies;
        private readonly ILogger logger;

        private FtpControlChannel(Socket socket, string host, ILogger logger)
        {
            this.socket = socket;
            this.logger = logger;
            Host = host;
            stream = new NetworkStream(socket, ownsSocket: true);
            replies = new FtpReplyReader(new FtpLineReader(stream, FtpLimits.MaxLineLength));
            RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        }

        public string Host { get; }
        public IPEndPoint RemoteEndPoint { get; }
        public IPEndPoint LocalEndPoint { get; }

        public static async Task<FtpControlChannel> ConnectAsync(string host, int port, TimeSpan limit, ILogger logger, CancellationToken cancellationToken)
        {
            IPAddress[] addresses;
            try
            {
                addresses = IPAddress.TryParse(host, out IPAddress? literal)
                    ? new[] { literal }
                    : await StepDeadline.RunAsync(_ => Dns.GetHostAddressesAsync(host), limit, NoAbort.Instance, cancellationToken).ConfigureAwait(false);
            }
            catch (StepTimeoutException)
            {
                throw FtpErrors.StepTimedOut(host, "resolving its name", limit);
            }
            catch (SocketException ex)
            {
                throw new FileTransferException(TransferFailureKind.CannotConnect, host, $"{host}: the name could not be resolved ({ex.Message}). Check the device's host name or IP address.", ex);
            }
            if (addresses.Length == 0)
                throw new FileTransferException(TransferFailureKind.CannotConnect, host, $"{host}: the name resolved to no address. Check the device's host name or IP address.");

            IPAddress address = addresses[0];
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await StepDeadline.RunAsync(_ => socket.ConnectAsync(address, port), limit, socket, cancellationToken).ConfigureAwait(false);
            }
            catch (StepTimeoutException)
            {
                socket.Dispose();
                throw new FileTransferException(TransferFailureKind.TimedOut, host,
                    $"{host}: no answer on FTP port {port} within {FtpErrors.Seconds(limit)}. Check that the card is on, that its FTP server is enabled on this port, and that no firewall blocks it.");
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                throw new FileTransferException(TransferFailureKind.CannotConnect, host,
                    $"{host}: cannot connect to FTP port {port} ({ex.Message}). The card's FTP server is disabled by default on NMC3: enable it, or use SCP.", ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            return new FtpControlChannel(socket, host, logger);
        }

        public async Task<FtpReply> ReadReplyAsync(string awaiting, TimeSpan limit, CancellationToken cancellationToken)
        {
            FtpReply reply;
            try
            {
                reply = await StepDeadline.RunAsync(token => replies.ReadReplyAsync(token), limit, stream, cancellationToken).ConfigureAwait(false);
            }
            catch (StepTimeoutException) { throw FtpErrors.StepTimedOut(Host, awaiting, limit); }
            catch (FtpReplyFormatException ex) { Dispose(); throw FtpErrors.Protocol(Host, awaiting, ex.Message); }
            catch (FtpLineException ex) { Dispose(); throw FtpErrors.Protocol(Host, awaiting, ex.Message); }
            catch (FtpConnectionClosedException ex)
            {
                Dispose();
                throw new FileTransferException(TransferFailureKind.TransferFailed, Host,
                    $"{Host}: {ex.Message} while {awaiting}. The card may have restarted or dropped the session; try again.");
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException)
            {
                throw FtpErrors.ConnectionLost(Host, awaiting, ex);
            }
            logger.LogDebug("FTP {Host} <- {Reply}", Host, reply.ToString());
            return reply;
        }

        public async Task SendAsync(string command, TimeSpan limit, CancellationToken cancellationToken)
        {
            if (command.IndexOf('\r') >= 0 || command.IndexOf('\n') >= 0)
                throw new ArgumentException("An FTP command must not contain line breaks.", nameof(command));
            string shown = command.StartsWith("PASS ", StringComparison.OrdinalIgnoreCase) ? "PASS ****" : command;
            logger.LogDebug("FTP {Host} -> {Command}", Host, shown);
            byte[] bytes = CommandEncoding.GetBytes(command + "\r\n");
            try
            {
                await StepDeadline.RunAsync(token => stream.WriteAsync(bytes, 0, bytes.Length, token), limit, stream, cancellationToken).ConfigureAwait(false);
            }
            catch (StepTimeoutException) { throw FtpErrors.StepTimedOut(Host, "sending " + shown.Split(' ')[0], limit); }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException)
            {
                throw FtpErrors.ConnectionLost(Host, "sending " + shown.Split(' ')[0], ex);
            }
        }

        public async Task<FtpReply> ExecuteAsync(string command, TimeSpan limit, CancellationToken cancellationToken)
        {
            await SendAsync(command, limit, cancellationToken).ConfigureAwait(false);
            string verb = command.Split(' ')[0];
            return await ReadReplyAsync("waiting for the reply to " + verb, limit, cancellationToken).ConfigureAwait(false);
        }

        public void Dispose()
        {
            try { stream.Dispose(); } catch (Exception) { /* closing a broken socket */ }
        }

        /// <summary>For steps (DNS) with no connection to cut: the deadline alone ends the wait.</summary>
        private sealed class NoAbort : IDisposable
        {
            public static readonly NoAbort Instance = new NoAbort();
            public void Dispose() { }
        }
    }
}
