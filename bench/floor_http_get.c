/* floor_http_get URL-less: the cheapest possible probe, for benchmarks only. Connects to
 * 127.0.0.1:PORT, sends one GET for PATH, reads the first response chunk, exits 0 on a 200.
 * No deadline, no parsing, no error reporting: the floor a real probe is measured against. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) return 64;
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(argv[1]));
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr*)&a, sizeof a) != 0) return 1;
  char req[512];
  int len = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", argv[2]);
  if (write(fd, req, (size_t)len) != len) return 1;
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  return n > 12 && memcmp(buf + 9, "200", 3) == 0 ? 0 : 1;
}
