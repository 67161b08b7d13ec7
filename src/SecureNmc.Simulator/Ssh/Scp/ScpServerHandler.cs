using SecureNmc.Core.Ssh.Scp;
using System;
using System.Globalization;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Ssh.Server;

namespace SecureNmc.Simulator.Ssh.Scp
{
    /// <summary>A parsed "scp ..." exec command line.</summary>
    public sealed class ScpCommand
    {
        /// <summary>True for "-t" (the client sends, we receive), false for "-f" (we send).</summary>
        public bool IsSink { get; private set; }

        /// <summary>The target as written, unquoted (what a card receives).</summary>
        public string Path { get; private set; } = "";

        /// <summary>Recognises "scp [-q] [-v] [-p] [-d] -t|-f [--] name"; false for anything else (including -r).</summary>
        public static bool TryParse(string commandLine, out ScpCommand command)
        {
            command = new ScpCommand();
            var parts = commandLine.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[0] != "scp") return false;
            bool? sink = null;
            int i = 1;
            for (; i < parts.Length; i++)
            {
                var p = parts[i];
                if (p == "--") { i++; break; }
                if (!p.StartsWith("-", StringComparison.Ordinal)) break;
                foreach (var flag in p.Substring(1))
                {
                    switch (flag)
                    {
                        case 't': sink = true; break;
                        case 'f': sink = false; break;
                        case 'q': case 'v': case 'p': case 'd': break;
                        default: return false; // -r and unknown options: a card does not do them
                    }
                }
            }
            if (sink == null || i >= parts.Length) return false;
            command.IsSink = sink.Value;
            command.Path = string.Join(" ", parts, i, parts.Length - i);
            return true;
        }
    }

    /// <summary>
    /// Server side of classic SCP for a simulated card: run it from the exec handler for
    /// "scp -t" / "scp -f" commands and supply the file bytes or receive the upload through
    /// the callbacks. Callbacks signal refusal by throwing <see cref="UnauthorizedAccessException"/>
    /// (reported as "Permission denied") or <see cref="FileNotFoundException"/>; any other
    /// exception's message is reported as is.
    /// </summary>
    public sealed class ScpServerHandler
    {
        /// <summary>Returns the content of the named file, or null when it does not exist.</summary>
        public Func<string, CancellationToken, Task<byte[]?>> ReadFile { get; set; } = (_, __) => Task.FromResult<byte[]?>(null);

        /// <summary>
        /// Stores an uploaded file: (target name, content). Used when <see cref="ReceiveFile"/> is not set;
        /// the file is collected in memory first.
        /// </summary>
        public Func<string, byte[], CancellationToken, Task> WriteFile { get; set; } = (_, __, ___) => throw new UnauthorizedAccessException();

        /// <summary>
        /// Takes an uploaded file as it arrives: (target name, content, length announced by the sender).
        /// The content stream reads straight from the SSH channel, so a slow reader slows the sender
        /// through the channel window; it ends after the announced length, and throws
        /// <see cref="ScpProtocolException"/> when the sender ends the file short or without its
        /// end-of-file marker (the marker is checked before the last bytes are handed over, so a reader
        /// that acts on a complete file never acts on a broken transfer). Bytes the callback leaves unread
        /// are skipped. When null, <see cref="WriteFile"/> receives the collected bytes instead.
        /// </summary>
        public Func<string, Stream, long, CancellationToken, Task>? ReceiveFile { get; set; }

        /// <summary>Largest upload accepted; a larger one is refused from its "C" record, before any of its bytes.</summary>
        public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;

        /// <summary>Runs the SCP command in <paramref name="context"/>; returns the exit status (0 = success).</summary>
        public Task<int> RunAsync(SshExecContext context, ScpCommand command) =>
            command.IsSink ? ReceiveAsync(context, command.Path) : SendAsync(context, command.Path);

        private async Task<int> ReceiveAsync(SshExecContext context, string target)
        {
            var ct = context.Aborted;
            var input = new StreamByteReader(context.Input);
            await Ok(context, ct).ConfigureAwait(false);
            int status = 0;
            while (true)
            {
                int kind = await input.ReadByteAsync(ct).ConfigureAwait(false);
                if (kind < 0) return status;
                string line = await input.ReadLineAsync(ct).ConfigureAwait(false) ?? "";
                switch (kind)
                {
                    case 'T':
                        await Ok(context, ct).ConfigureAwait(false);
                        continue;
                    case 1:
                    case 2:
                        return 1; // the sending side gave up
                    case 'C':
                        break;
                    default:
                        await Error(context, "scp: directories and unknown records are not supported", ct).ConfigureAwait(false);
                        return 1;
                }
                var parts = line.Split(new[] { ' ' }, 3);
                if (parts.Length < 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size) || size < 0)
                {
                    await Error(context, "scp: protocol error: bad file record", ct).ConfigureAwait(false);
                    return 1;
                }
                if (size > MaxUploadBytes)
                {
                    await Error(context, $"scp: {parts[2]}: file too large", ct).ConfigureAwait(false);
                    return 1;
                }
                string name = target.EndsWith("/", StringComparison.Ordinal) || target == "." ? target.TrimEnd('/') + (target == "." ? "" : "/") + parts[2] : target;
                if (target == ".") name = parts[2];
                await Ok(context, ct).ConfigureAwait(false);
                var content = new ScpIncomingFile(input, size);
                try
                {
                    if (size == 0) await content.ExpectEndMarkerAsync(ct).ConfigureAwait(false);
                    if (ReceiveFile != null)
                        await ReceiveFile(name, content, size, ct).ConfigureAwait(false);
                    else
                        await WriteFile(name, await content.ReadAllAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                    if (!await content.FinishAsync(ct).ConfigureAwait(false)) return 1;
                    await Ok(context, ct).ConfigureAwait(false);
                }
                catch (Exception) when (content.Broken)
                {
                    // The sender ended the file short or without its end marker: hang up without a reply, as
                    // before the callback ran; a failed channel read is the connection's failure, not the callback's.
                    if (content.InputFailure != null) ExceptionDispatchInfo.Capture(content.InputFailure).Throw();
                    return 1;
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    // Refused before the end: take in the rest of the file so the protocol stays in step, then answer.
                    if (!await content.FinishAsync(ct).ConfigureAwait(false))
                    {
                        if (content.InputFailure != null) ExceptionDispatchInfo.Capture(content.InputFailure).Throw();
                        return 1;
                    }
                    await Error(context, $"scp: {name}: {Describe(ex)}", ct).ConfigureAwait(false);
                    status = 1;
                }
            }
        }

        private async Task<int> SendAsync(SshExecContext context, string path)
        {
            var ct = context.Aborted;
            var input = new StreamByteReader(context.Input);
            if (await input.ReadByteAsync(ct).ConfigureAwait(false) != 0) return 1;
            byte[]? content;
            try
            {
                content = await ReadFile(path, ct).ConfigureAwait(false);
                if (content == null) throw new FileNotFoundException();
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                await Error(context, $"scp: {path}: {Describe(ex)}", ct).ConfigureAwait(false);
                return 1;
            }
            var header = string.Format(CultureInfo.InvariantCulture, "C0644 {0} {1}\n", content.Length, ScpNames.BaseName(path));
            await Write(context, Encoding.UTF8.GetBytes(header), ct).ConfigureAwait(false);
            if (await input.ReadByteAsync(ct).ConfigureAwait(false) != 0) return 1;
            await Write(context, content, ct).ConfigureAwait(false);
            await Ok(context, ct).ConfigureAwait(false);
            return await input.ReadByteAsync(ct).ConfigureAwait(false) == 0 ? 0 : 1;
        }

        private static string Describe(Exception ex) => ex switch
        {
            UnauthorizedAccessException _ => "Permission denied",
            FileNotFoundException _ => "No such file or directory",
            _ => ex.Message,
        };

        private static Task Ok(SshExecContext context, CancellationToken ct) => Write(context, new byte[] { 0 }, ct);

        private static Task Error(SshExecContext context, string text, CancellationToken ct) =>
            Write(context, Encoding.UTF8.GetBytes("\u0001" + text.Replace("\n", " ") + "\n"), ct);

        private static async Task Write(SshExecContext context, byte[] data, CancellationToken ct)
        {
            await context.Output.WriteAsync(data, 0, data.Length, ct).ConfigureAwait(false);
            await context.Output.FlushAsync(ct).ConfigureAwait(false);
        }

        /// <summary>Byte/line reads over a stream with a small buffer.</summary>
        internal sealed class StreamByteReader
        {
            private readonly Stream _stream;
            private readonly byte[] _buffer = new byte[64 * 1024];
            private int _start;
            private int _end;

            public StreamByteReader(Stream stream) => _stream = stream;

            public async Task<int> ReadByteAsync(CancellationToken ct)
            {
                if (_start == _end && !await FillAsync(ct).ConfigureAwait(false)) return -1;
                return _buffer[_start++];
            }

            public async Task<string?> ReadLineAsync(CancellationToken ct)
            {
                var line = new MemoryStream();
                while (true)
                {
                    int b = await ReadByteAsync(ct).ConfigureAwait(false);
                    if (b < 0) return line.Length == 0 ? null : Encoding.UTF8.GetString(line.ToArray());
                    if (b == '\n') return Encoding.UTF8.GetString(line.ToArray());
                    if (line.Length > 4096) throw new InvalidDataException("SCP line too long.");
                    line.WriteByte((byte)b);
                }
            }

            /// <summary>Copies up to <paramref name="count"/> buffered (or newly arrived) bytes; 0 at the end of the input.</summary>
            public async Task<int> ReadSomeAsync(byte[] buffer, int offset, int count, CancellationToken ct)
            {
                if (count == 0) return 0;
                if (_start == _end && !await FillAsync(ct).ConfigureAwait(false)) return 0;
                int n = Math.Min(count, _end - _start);
                Buffer.BlockCopy(_buffer, _start, buffer, offset, n);
                _start += n;
                return n;
            }

            /// <summary>Discards <paramref name="count"/> bytes; false when the input ends first.</summary>
            public async Task<bool> SkipAsync(long count, CancellationToken ct)
            {
                while (count > 0)
                {
                    if (_start == _end && !await FillAsync(ct).ConfigureAwait(false)) return false;
                    int n = (int)Math.Min(count, _end - _start);
                    _start += n;
                    count -= n;
                }
                return true;
            }

            private async Task<bool> FillAsync(CancellationToken ct)
            {
                _start = 0;
                _end = await _stream.ReadAsync(_buffer, 0, _buffer.Length, ct).ConfigureAwait(false);
                return _end > 0;
            }
        }
    }
}
