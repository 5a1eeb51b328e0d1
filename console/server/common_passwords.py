"""Passwords sitroom refuses because they are among the first an attacker tries: the most common
passwords of public breach lists, keyboard walks, and words of this service and its users'
world. Lower case; auth.check_password also strips the digits and symbols people add around
them ('Password123!' is 'password')."""

from __future__ import annotations

_WORDS = """
password passw0rd p@ssword p@ssw0rd pa$$word passwort pass passwd password1 mypassword
secret secrets letmein welcome welcome1 hello hellokitty iloveyou loveyou love lovely
admin administrator adm root toor sysadmin system manager master superuser super user
guest test tester testing demo default changeme change login logon access access14 pass123
qwerty qwertz azerty qwer qwert qwertyu qwertyui qwertyuiop qwerasdf qwerasdfzxcv qweasd
qweasdzxc qwe asd zxc asdf asdfg asdfgh asdfghj asdfghjk asdfghjkl asdfqwer zxcv zxcvb zxcvbn
zxcvbnm zxcvasdf asdzxc qazwsx qazwsxedc qazxsw wsxedc 1qaz 1qaz2wsx 1qaz2wsx3edc zaq1 zaq12wsx
zaq1zaq1 1qazxsw2 xsw2 q1w2e3 q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6 1q2w3e 1q2w3e4r 1q2w3e4r5t
1q2w3e4r5t6y a1b2c3 a1b2c3d4 abc abcd abcde abcdef abcdefg abcdefgh abcdefghi abcdefghij
aaa aaaa abc123 qwe123 asd123 zxc123 qwer1234 asdf1234 zxcv1234
monkey dragon football baseball soccer hockey basketball golf tennis sunshine princess
shadow superman batman spiderman ironman starwars startrek pokemon naruto trustno1 whatever
freedom computer internet server network michael jennifer jordan hunter ranger killer
charlie thomas daniel andrew robert joshua matthew jessica ashley amanda michelle nicole
pepper ginger cookie chocolate cheese banana orange apple cherry summer winter spring autumn
flower flowers butterfly angel angels baby babygirl family friends friend forever
mustang ferrari porsche bmw mercedes harley corvette yamaha
maggie buster tigger jackson hannah cowboy silver golden diamond
lakers yankees liverpool chelsea arsenal barcelona
samsung hyundai kia lg naver daum kakao google facebook microsoft apple
korea korean seoul busan daegu incheon gwangju daejeon ulsan sejong
sarang saranghae saranghaeyo dkssud dkssudgktpdy
police policeman officer cop cops knp npa police112 station commander operator viewer
election vote voting ballot sitroom situation situationroom command control
nation national province provincial
security secure safety protect private
iloveu iloveyou2 loveme lovelove mylove
hello123 welcome123 admin123 root123 test123 pass1234 password123
letmein1 trustme believe jesus christ god heaven
qwerty123 qwertyuiop123 1q2w3e4r! q1w2e3r4!
"""

COMMON_PASSWORDS: frozenset[str] = frozenset(_WORDS.split())
