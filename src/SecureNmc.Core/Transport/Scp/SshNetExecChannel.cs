using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Renci.SshNet;
using SecureNmc.Core.Ftp;
using SshNetClient = Renci.SshNet.SshClient;

namespace SecureNmc.Core.Transport.Scp
{
    /// <summary>
    /// One exec channel on an SSH.NET connection, with the exact command text the card gets (no quoting,
    /// no wrapper). SSH.NET's channel streams block, so every read and write runs under a hard limit:
    /// when it expires, or the caller cancels, the whole connection is dropped, which ends the blocked
    /// call even if the card never answers again.
    /// </summary>
    internal sealed class SshNetExecChannel : IDisposable
    {
        private readonly SshCommand _command;
        private readonly IAsyncResult _running;
        private readonly Stream? _input;
        private readonly SshNetClient _connection;
        private readonly SessionThread _calls;
        private bool _inputClosed;

        private SshNetExecChannel(SshNetClient connection, SessionThread calls, SshCommand command, IAsyncResult running, Stream? input)
        {
            _connection = connection;
            _calls = calls;
            _command = command;
            _running = running;
            _input = input;
        }

        public string CommandText => _command.CommandText;

        public static async Task<SshNetExecChannel> StartAsync(SshNetClient connection, SessionThread calls, string command, TimeSpan limit, CancellationToken cancellationToken)
        {
            SshCommand? created = null;
            return await StepDeadline.RunAsync(_ => calls.Run(() =>
            {
                created = connection.CreateCommand(command);
                var running = created.BeginExecute();
                Stream? input = null;
                try
                {
                    input = created.CreateInputStream();
                }
                catch (InvalidOperationException) when (running.IsCompleted)
                {
                    // The command ended already (a quick CLI command): there is nothing left to send to.
                }
                return new SshNetExecChannel(connection, calls, created, running, input);
            }), limit, connection, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Up to <paramref name="count"/> bytes of the command's output; 0 at its end.</summary>
        public Task<int> ReadAsync(byte[] buffer, int offset, int count, TimeSpan limit, CancellationToken cancellationToken) =>
            StepDeadline.RunAsync(_ => _calls.Run(() => _command.OutputStream.Read(buffer, offset, count)), limit, _connection, cancellationToken);

        /// <summary>Sends bytes to the command; blocks while the card's window is closed (a stalled card), up to <paramref name="limit"/>.</summary>
        public Task WriteAsync(byte[] buffer, int offset, int count, TimeSpan limit, CancellationToken cancellationToken) =>
            StepDeadline.RunAsync(_ => _calls.Run(() =>
            {
                if (_input == null) throw new IOException("The card ended the command before it took any input.");
                _input.Write(buffer, offset, count);
                _input.Flush();
            }), limit, _connection, cancellationToken);

        /// <summary>Tells the card there is no more input (channel EOF).</summary>
        public Task SendEofAsync(TimeSpan limit, CancellationToken cancellationToken)
        {
            // Once the card has closed the channel, an EOF would name a channel it has freed: OpenSSH
            // answers that with a protocol error that ends the whole connection.
            if (_inputClosed || _input == null || _running.IsCompleted) return Task.CompletedTask;
            _inputClosed = true;
            var input = _input;
            return StepDeadline.RunAsync(_ => _calls.Run(() =>
            {
                try
                {
                    input.Dispose();
                }
                catch (InvalidOperationException) when (_running.IsCompleted)
                {
                    // The command ended first: its input is closed already.
                }
            }), limit, _connection, cancellationToken);
        }

        /// <summary>Waits up to <paramref name="limit"/> for the command to end (exit status, channel close); false if it did not.</summary>
        public async Task<bool> WaitForExitAsync(TimeSpan limit, CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow + limit;
            while (!_running.IsCompleted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (DateTime.UtcNow >= deadline) return false;
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
            return true;
        }

        /// <summary>False once the SSH connection under the channel is gone (the card dropped it).</summary>
        public bool ConnectionAlive
        {
            get
            {
                try
                {
                    return _connection.IsConnected;
                }
                catch (ObjectDisposedException)
                {
                    return false;
                }
            }
        }

        /// <summary>The command's exit status, once it has ended.</summary>
        public int? ExitStatus => _running.IsCompleted ? _command.ExitStatus : null;

        /// <summary>What the command wrote to stderr, once it has ended (reading earlier would block).</summary>
        public string StandardError
        {
            get
            {
                if (!_running.IsCompleted) return "";
                try
                {
                    return _command.Error ?? "";
                }
                catch (Exception)
                {
                    return "";
                }
            }
        }

        public void Dispose()
        {
            // Closes the channel if it is still open; best effort, the connection may be gone already.
            try { _command.Dispose(); } catch (Exception) { }
        }
    }
}
