using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Ftp
{
    /// <summary>
    /// One FTP data connection on the client side. Passive: connected before the transfer command.
    /// Active: a listener the card connects back to after its 1xx reply.
    /// </summary>
    internal sealed class FtpDataChannel : IDisposable
    {
        private readonly string host;
        private readonly IPAddress cardAddress;
        private Socket? connected;
        private Socket? listener;

        private FtpDataChannel(string host, IPAddress cardAddress)
        {
            this.host = host;
            this.cardAddress = cardAddress;
        }

        public FtpDataMode Mode => listener == null ? FtpDataMode.Passive : FtpDataMode.Active;

        /// <summary>
        /// Asks for a passive endpoint (EPSV, then PASV) and connects to it. Only the port of the answer is
        /// used: the data connection always goes to the control connection's address, so a hostile or
        /// misconfigured card cannot point us at another machine (and NAT-mangled PASV addresses still work).
        /// </summary>
        public static async Task<FtpDataChannel> OpenPassiveAsync(FtpControlChannel control, FtpSessionFlags flags,
            TimeSpan replyLimit, TimeSpan connectLimit, CancellationToken cancellationToken)
        {
            int port = 0;
            if (!flags.EpsvUnsupported)
            {
                FtpReply epsv = await control.ExecuteAsync("EPSV", replyLimit, cancellationToken).ConfigureAwait(false);
                if (epsv.Code == 229)
                {
                    if (!FtpEndpointSyntax.TryParseEpsvReply(epsv.Text, out port))
                        throw FtpErrors.FromReply(TransferFailureKind.ProtocolError, control.Host,
                            $"{control.Host}: the card's EPSV reply \"{FtpReplyReader.Shorten(epsv.ToString())}\" does not name a valid data port (1-65535).", epsv);
                }
                else if (epsv.IsTransientNegative || epsv.IsPermanentNegative)
                {
                    flags.EpsvUnsupported = true;
                }
                else
                {
                    throw FtpErrors.Unexpected(control.Host, "asking for a passive data port (EPSV)", epsv);
                }
            }

            if (port == 0)
            {
                FtpReply pasv = await control.ExecuteAsync("PASV", replyLimit, cancellationToken).ConfigureAwait(false);
                if (pasv.Code != 227)
                {
                    if (pasv.IsTransientNegative || pasv.IsPermanentNegative)
                        throw FtpErrors.FromReply(TransferFailureKind.TransferFailed, control.Host,
                            $"{control.Host}: the card refused passive mode (it replied \"{pasv}\"). Try active FTP mode (FtpDataMode Active) for this device.", pasv);
                    throw FtpErrors.Unexpected(control.Host, "asking for a passive data port (PASV)", pasv);
                }
                if (!FtpEndpointSyntax.TryParsePasvReply(pasv.Text, out IPEndPoint? offered))
                    throw FtpErrors.FromReply(TransferFailureKind.ProtocolError, control.Host,
                        $"{control.Host}: the card's PASV reply \"{FtpReplyReader.Shorten(pasv.ToString())}\" does not name a valid address and port (1-65535).", pasv);
                port = offered!.Port;
            }

            var channel = new FtpDataChannel(control.Host, control.RemoteEndPoint.Address);
            var target = new IPEndPoint(control.RemoteEndPoint.Address, port);
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await StepDeadline.RunAsync(_ => socket.ConnectAsync(target), connectLimit, socket, cancellationToken).ConfigureAwait(false);
            }
            catch (StepTimeoutException)
            {
                socket.Dispose();
                throw FtpErrors.DataConnectionNeverOpened(control.Host, FtpDataMode.Passive, null, connectLimit);
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
                socket.Dispose();
                throw new FileTransferException(TransferFailureKind.TransferFailed, control.Host,
                    $"{control.Host}: the card's passive data port {port} refused the connection ({ex.Message}). A firewall may be rejecting FTP data connections; try active FTP mode (FtpDataMode Active) for this device.", ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            channel.connected = socket;
            return channel;
        }

        /// <summary>Listens on the control connection's local address and announces it with EPRT, falling back to PORT.</summary>
        public static async Task<FtpDataChannel> OpenActiveAsync(FtpControlChannel control, FtpSessionFlags flags,
            TimeSpan replyLimit, CancellationToken cancellationToken)
        {
            var channel = new FtpDataChannel(control.Host, control.RemoteEndPoint.Address);
            var local = new IPEndPoint(control.LocalEndPoint.Address, 0);
            var listener = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            channel.listener = listener;
            try
            {
                listener.Bind(local);
                listener.Listen(1);
                var announced = (IPEndPoint)listener.LocalEndPoint!;

                bool accepted = false;
                if (!flags.EprtUnsupported)
                {
                    FtpReply eprt = await control.ExecuteAsync("EPRT " + FtpEndpointSyntax.FormatEprtArgument(announced), replyLimit, cancellationToken).ConfigureAwait(false);
                    if (eprt.IsPositiveCompletion) accepted = true;
                    else if (eprt.IsTransientNegative || eprt.IsPermanentNegative) flags.EprtUnsupported = true;
                    else throw FtpErrors.Unexpected(control.Host, "announcing an active data port (EPRT)", eprt);
                }

                if (!accepted)
                {
                    IPAddress v4 = announced.Address.IsIPv4MappedToIPv6 ? announced.Address.MapToIPv4() : announced.Address;
                    if (v4.AddressFamily != AddressFamily.InterNetwork)
                        throw new FileTransferException(TransferFailureKind.TransferFailed, control.Host,
                            $"{control.Host}: the card does not support EPRT and PORT cannot name an IPv6 address. Use passive FTP mode for this device.");
                    FtpReply port = await control.ExecuteAsync("PORT " + FtpEndpointSyntax.FormatSixNumbers(new IPEndPoint(v4, announced.Port)), replyLimit, cancellationToken).ConfigureAwait(false);
                    if (!port.IsPositiveCompletion)
                    {
                        if (port.IsTransientNegative || port.IsPermanentNegative)
                            throw FtpErrors.FromReply(TransferFailureKind.TransferFailed, control.Host,
                                $"{control.Host}: the card refused active mode (it replied \"{port}\"). Use passive FTP mode (FtpDataMode Passive) for this device.", port);
                        throw FtpErrors.Unexpected(control.Host, "announcing an active data port (PORT)", port);
                    }
                }
                return channel;
            }
            catch
            {
                channel.Dispose();
                throw;
            }
        }

        /// <summary>The data stream; in active mode waits (bounded) for the card to connect back, from the card's address only.</summary>
        public async Task<Socket> GetSocketAsync(string preliminaryReply, TimeSpan limit, CancellationToken cancellationToken)
        {
            if (connected == null)
            {
                Socket server = listener!;
                var started = DateTime.UtcNow;
                while (connected == null)
                {
                    TimeSpan left = limit - (DateTime.UtcNow - started);
                    if (left <= TimeSpan.Zero) throw FtpErrors.DataConnectionNeverOpened(host, FtpDataMode.Active, preliminaryReply, limit);
                    Socket candidate;
                    try
                    {
                        candidate = await StepDeadline.RunAsync(_ => server.AcceptAsync(), left, server, cancellationToken).ConfigureAwait(false);
                    }
                    catch (StepTimeoutException)
                    {
                        throw FtpErrors.DataConnectionNeverOpened(host, FtpDataMode.Active, preliminaryReply, limit);
                    }
                    catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
                    {
                        throw FtpErrors.ConnectionLost(host, "waiting for the card to open the data connection", ex);
                    }
                    IPAddress from = ((IPEndPoint)candidate.RemoteEndPoint!).Address;
                    if (Normalize(from).Equals(Normalize(cardAddress))) connected = candidate;
                    else candidate.Dispose();  // someone else tried to slip data in: ignore them
                }
                server.Dispose();
                listener = null;
            }
            connected.NoDelay = true;
            return connected;
        }

        private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

        public void Dispose()
        {
            try { listener?.Dispose(); } catch (Exception) { }
            try { connected?.Dispose(); } catch (Exception) { }
        }
    }

    /// <summary>What one session learned about the card's command support, so fallbacks are tried once.</summary>
    internal sealed class FtpSessionFlags
    {
        public bool EpsvUnsupported { get; set; }
        public bool EprtUnsupported { get; set; }
    }
}
